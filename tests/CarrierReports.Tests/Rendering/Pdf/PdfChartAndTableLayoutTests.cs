using System.Globalization;
using System.Text.RegularExpressions;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using UglyToad.PdfPig.Content;

namespace CarrierReports.Tests.Rendering.Pdf;

/// <summary>
/// The charts are PDF vectors with real text, and the table's figure columns line up exactly even though runs of plain
/// figures are written as one string each.
/// </summary>
public sealed partial class PdfChartAndTableLayoutTests
{
    private static readonly Lazy<(AsrPerRouteReport Report, PdfText Pdf)> October = new(() =>
    {
        var report = SampleReports.October(BucketSize.Day, extraRoutes: 6, previous: new Metrics(150_000, 60_000, 7_000_000m));
        using var output = new MemoryStream();
        new PdfReportRenderer().RenderAsync(report, SampleReports.Options, output, CancellationToken.None).GetAwaiter().GetResult();
        return (report, PdfText.Read(output.ToArray()));
    });

    [Fact]
    public void ChartPage_IsVectorsWithTextLabels()
    {
        var (report, pdf) = October.Value;
        var text = pdf.PageText(1);

        Assert.Contains("ASR % per day, top 8 routes by attempts", text);
        Assert.Equal(2, Regex.Count(text, Regex.Escape("Local time (Europe/London)")));
        Assert.Contains("All routes", text);
        Assert.Contains("30 % warning", text);
        Assert.Contains("Attempts", text);
        Assert.Contains("Answered", text);
        foreach (var route in PdfCharts.TopRoutes(report, SampleReports.Options.TopRoutes))
        {
            Assert.Contains(route, text);
        }

        // Tick labels: local dates along the time axis, ASR steps and call counts up the other.
        Assert.Contains("10-01", text);
        Assert.Contains("10-31", text);
        Assert.Contains(pdf.Pages[1], l => l.Any(w => w.Text == "100"));
        Assert.Contains(pdf.Pages[1], l => l.Any(w => Regex.IsMatch(w.Text, @"^\d{1,3}(,\d{3})+$")));

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf.Bytes);
        var page = document.GetPage(2);

        // The axis titles run up the side of each chart.
        var sideways = page.Letters.Where(l => l.TextOrientation != TextOrientation.Horizontal).Select(l => l.Value);
        Assert.Equal("ASR%Calls", string.Concat(sideways).Replace(" ", "", StringComparison.Ordinal));
        Assert.Empty(page.GetImages());
        Assert.True(page.Paths.Count > 20, $"only {page.Paths.Count} paths on the chart page");
    }

    [Fact]
    public void FigureColumns_EndAtTheSameXOnEveryRow_WhetherJoinedOrHighlighted()
    {
        var (_, pdf) = October.Value;
        var rows = pdf.Pages.SelectMany(p => p).Where(l => IsoDate().IsMatch(l[0].Text) && l.Count >= 8).ToList();
        Assert.True(rows.Count > 100, $"only {rows.Count} table rows");

        // The five figure columns are the last five words of a row; each must end (by advance width, not ink) where that
        // column ends in every row: plain, starred, dashed or highlighted alike.
        for (var k = 1; k <= 5; k++)
        {
            var ends = rows.Select(r => r[^k].Letters[^1].EndBaseLine.X).ToList();
            var spread = ends.Max() - ends.Min();
            var odd = rows[ends.IndexOf(ends.Max())];
            Assert.True(spread < 0.25, string.Create(CultureInfo.InvariantCulture, $"column {6 - k} of 5: right edges spread over {spread:0.###} pt, e.g. {PdfText.Join(odd)}"));
        }
    }

    [Theory]
    [InlineData(61_560, 10_000)]
    [InlineData(3_300, 500)]
    [InlineData(8, 1)]
    [InlineData(1, 0.2)]
    public void NiceTicks_AreRoundStepsFromZeroUpToTheTop(double max, double step)
    {
        var ticks = PdfChartFrame.NiceTicks(max);

        Assert.Equal(0, ticks[0]);
        Assert.InRange(ticks.Length, 5, 11);
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(step, p.Second - p.First, 6));
        Assert.True(ticks[^1] <= max && ticks[^1] + step > max);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}
