using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Tests.Rendering.Pdf;

public sealed partial class PdfReportRendererTests
{
    private static readonly string[] DailyHeader = ["Day", "(Europe/London)", "Route", "Attempts", "Answered", "ASR", "%", "ACD", "s", "Minutes"];

    // Built once: the October report is rendered by several tests and takes a moment.
    private static readonly Lazy<(AsrPerRouteReport Report, PdfText Pdf)> October = new(() =>
    {
        var report = SampleReports.October(BucketSize.Day, extraRoutes: 6, previous: new Metrics(150_000, 60_000, 7_000_000m));
        return (report, PdfText.Read(Render(report, SampleReports.Options).GetAwaiter().GetResult()));
    });

    [Fact]
    public async Task Table_NumbersEqualTheCsvRoundedToTwoDecimals()
    {
        var (report, pdf) = October.Value;
        var csv = await CsvRows(report);
        var rows = pdf.Pages.SelectMany(p => p).Where(l => IsoDate().IsMatch(l[0].Text) && l.Count >= 8).ToList();

        Assert.Equal(report.Rows.Count, rows.Count);
        Assert.Equal(report.Rows.Count, csv.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var words = rows[i].Select(w => w.Text).ToList();
            var expected = csv[i];
            var attempts = long.Parse(expected[2], CultureInfo.InvariantCulture);
            var where = $"row {i}: {string.Join(' ', words)}";

            Assert.True(expected[0].StartsWith(words[0] + "T", StringComparison.Ordinal), where);
            Assert.Equal(expected[1], ReportFormat.SafeText(string.Join(' ', words[2..^5])));
            var small = attempts > 0 && attempts < SampleReports.Options.MinimumSample;
            Assert.Equal(ReportFormat.Count(attempts) + (small ? "*" : ""), words[^5]);
            Assert.Equal(ReportFormat.Count(long.Parse(expected[3], CultureInfo.InvariantCulture)), words[^4]);
            Assert.Equal(TwoDecimals(expected[4]), words[^3]);
            Assert.Equal(TwoDecimals(expected[5]), words[^2]);
            Assert.Equal(TwoDecimals(expected[6]), words[^1]);
        }

        // The row whose exact ACD (12.49496) would round to 12.49 on its own shows the CSV's 12.4950 rounded.
        Assert.Contains(rows, r => r[2].Text == "rounding-edge" && r[^2].Text == "12.50");
    }

    [Fact]
    public void Table_RepeatsItsHeaderAndFootnoteOnEveryPage()
    {
        var (_, pdf) = October.Value;
        var tablePages = Enumerable.Range(0, pdf.Pages.Count)
            .Where(p => pdf.Pages[p].Any(l => IsoDate().IsMatch(l[0].Text)))
            .ToList();

        Assert.True(tablePages.Count >= 3, $"expected a table over several pages, got {tablePages.Count}");
        Assert.Equal(Enumerable.Range(tablePages[0], tablePages.Count), tablePages);
        foreach (var p in tablePages)
        {
            var lines = pdf.Lines(p);
            Assert.Contains(string.Join(' ', DailyHeader), lines);
            Assert.Contains(lines, l => l.StartsWith("* fewer than 30 attempts", StringComparison.Ordinal));
            var header = lines.ToList().IndexOf(string.Join(' ', DailyHeader));
            var firstRow = lines.ToList().FindIndex(l => IsoDate().IsMatch(l));
            Assert.True(header < firstRow, $"page {p + 1}: the header is not above the rows");
        }
    }

    [Fact]
    public void EveryPage_SaysPageNOfM()
    {
        var (_, pdf) = October.Value;
        var count = pdf.Pages.Count;
        for (var p = 0; p < count; p++)
        {
            Assert.Contains($"Page {p + 1} of {count}", pdf.PageText(p));
        }
    }

    [Fact]
    public void Fonts_AreDejaVuEmbeddedAndSubset()
    {
        var (_, pdf) = October.Value;
        var fonts = pdf.Pages.SelectMany(p => p).SelectMany(l => l).SelectMany(w => w.Letters).Select(l => l.FontName).Distinct().ToList();

        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.Matches("^[A-Z]{6}\\+DejaVu", f));
        var raw = Encoding.Latin1.GetString(pdf.Bytes);
        var descriptors = Regex.Count(raw, "/Type\\s*/FontDescriptor");
        Assert.True(descriptors >= 2, $"only {descriptors} font descriptors");
        Assert.Equal(descriptors, Regex.Count(raw, "/FontFile2"));
    }

    [Fact]
    public void FirstPage_NamesTheWorstRouteInARedBoxAboveEverythingElse()
    {
        var (report, pdf) = October.Value;
        var lines = pdf.Pages[0];
        var worstLine = lines.Single(l => PdfText.Join(l).StartsWith("Worst route:", StringComparison.Ordinal));
        var totals = lines.Single(l => PdfText.Join(l).StartsWith("Carrier totals", StringComparison.Ordinal));
        var expectedAsr = report.RouteTotals.Single(r => r.Route == SampleReports.WorstRoute).Metrics.AsrPct;

        // The two boxes sit side by side, so their headlines share a baseline: worst on the left, then best.
        var worst = worstLine.TakeWhile(w => w.Text != "Best").ToList();
        Assert.Equal($"Worst route: {SampleReports.WorstRoute} ASR {PdfNumbers.Percent(expectedAsr)}", PdfText.Join(worst));
        Assert.StartsWith($"Best route: {SampleReports.BestRoute} ASR ", PdfText.Join(worstLine.Skip(worst.Count)));
        Assert.True(worst[0].Letters[0].StartBaseLine.Y > totals[0].Letters[0].StartBaseLine.Y);

        // Headline text is white: it sits on the red box.
        var color = worst[0].Letters[0].Color;
        Assert.NotNull(color);
        var (r, g, b) = color!.ToRGBValues();
        Assert.Equal((1.0, 1.0, 1.0), (r, g, b));
    }

    [Fact]
    public void FirstPage_StatesPeriodZoneUtcBoundsAndTexts()
    {
        var (_, pdf) = October.Value;
        var text = pdf.PageText(0);

        Assert.Contains(SampleReports.Texts.Title, text);
        Assert.Contains("Carrier: Acme Telecom (544) Report: ASR per Route Bucket: day", text);
        Assert.Contains("Period: 2026-10-01 00:00 (UTC+01:00) to 2026-11-01 00:00 (UTC+00:00), time zone Europe/London", text);
        Assert.Contains("UTC bounds: from 2026-09-30T23:00:00Z (inclusive) to 2026-11-01T00:00:00Z (exclusive)", text);
        Assert.Contains("Generated: 2026-11-01T06:00:00Z", text);
        Assert.Contains(SampleReports.Texts.Notes, text);
        Assert.Contains("ACD = answered seconds / answered calls.", text);
        Assert.Contains("Attempts", text);
        Assert.DoesNotContain("no comparison", text);
    }

    [Fact]
    public void Table_HighlightsLowAsr_BoldOnlyWhenTheSampleIsLargeEnough()
    {
        var (_, pdf) = October.Value;
        var rows = pdf.Pages.SelectMany(p => p).Where(l => IsoDate().IsMatch(l[0].Text) && l.Count >= 8).ToList();
        var (alarms, cautions) = (0, 0);
        foreach (var row in rows)
        {
            var asr = row[^3];
            var small = row[^5].Text.EndsWith('*');
            var bold = asr.Letters[0].FontName?.Contains("Bold", StringComparison.Ordinal) == true;
            var red = asr.Letters[0].Color is { } c && c.ToRGBValues() is var (r, g, _) && r > 0.5 && g < 0.2;
            var below = asr.Text != ReportFormat.Empty && decimal.Parse(asr.Text, CultureInfo.InvariantCulture) < 30m;
            Assert.True(red == below, $"ASR {asr.Text}: red {red}");
            Assert.True(bold == (below && !small), $"ASR {asr.Text} (small {small}): bold {bold}");
            alarms += below && !small ? 1 : 0;
            cautions += below && small ? 1 : 0;
        }

        Assert.True(alarms > 0 && cautions > 0, $"{alarms} alarms, {cautions} cautions: the sample should have both");
    }

    [Fact]
    public void UnusualRouteNames_AppearLiterally()
    {
        var (_, pdf) = October.Value;
        var all = string.Join('\n', Enumerable.Range(0, pdf.Pages.Count).Select(pdf.PageText));
        Assert.Contains(" " + SampleReports.ScriptRoute + " ", all);
        Assert.Contains(" " + SampleReports.FormulaRoute + " ", all);
        Assert.Contains(" " + SampleReports.UnicodeRoute + " ", all);
        Assert.DoesNotContain("'" + SampleReports.FormulaRoute, all);
        Assert.DoesNotContain("&lt;script", all);
    }

    [Fact]
    public async Task EmptyReport_RendersHeaderAndSaysThereAreNoCdrs()
    {
        var pdf = PdfText.Read(await Render(SampleReports.Empty(), SampleReports.Options));
        var text = pdf.PageText(0);

        Assert.Single(pdf.Pages);
        Assert.Contains("No CDRs for this carrier in this period", text);
        Assert.Contains("Carrier: Borealis Voice (545)", text);
        Assert.Contains("UTC bounds: from 2026-10-31T00:00:00Z (inclusive) to 2026-11-01T00:00:00Z (exclusive)", text);
        Assert.Contains("Page 1 of 1", text);
        Assert.DoesNotContain("Worst route", text);
    }

    [Fact]
    public async Task WithoutPreviousTotals_SaysNoComparison()
    {
        var report = SampleReports.October(BucketSize.Month, extraRoutes: 0);
        var pdf = PdfText.Read(await Render(report, SampleReports.Options));
        Assert.Contains("no comparison", pdf.PageText(0));
    }

    [Fact]
    public async Task WorstRouteBox_IsAlarmRedOnlyBelowTheWarningThreshold()
    {
        var report = SampleReports.October(BucketSize.Month, extraRoutes: 2);
        var worst = CarrierReports.Reports.AsrPerRoute.RouteRanking.Of(report, SampleReports.Options.MinimumSample).Worst!.Metrics.AsrPct!.Value;

        var below = await Render(report, SampleReports.Options with { AsrWarningThresholdPct = Math.Min(100, worst + 1) });
        var above = await Render(report, SampleReports.Options with { AsrWarningThresholdPct = Math.Max(0, worst - 1) });

        Assert.True(HasAlarmFill(below), "worst route below the threshold: the box is red");
        Assert.False(HasAlarmFill(above), "worst route above the threshold: no red box");
    }

    /// <summary>Whether the first page has a shape filled with the alarm red (190, 30, 45).</summary>
    private static bool HasAlarmFill(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return document.GetPage(1).Paths.Any(p => p.IsFilled && p.FillColor is { } color
            && color.ToRGBValues() is var (r, g, b) && Math.Abs(r - 190 / 255.0) < 0.01 && Math.Abs(g - 30 / 255.0) < 0.01 && Math.Abs(b - 45 / 255.0) < 0.01);
    }

    [Fact]
    public async Task WithoutRenderedTexts_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Render(SampleReports.Empty(), new RenderOptions()));
        Assert.Equal("report texts not rendered", error.Message);
    }

    [Fact]
    public async Task BadOptions_NameTheField()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Render(SampleReports.Empty(), SampleReports.Options with { TopRoutes = 0 }));
        Assert.Equal(nameof(RenderOptions.TopRoutes), error.Field);
    }

    [Fact]
    public async Task ConcurrentRenders_AllSucceedWithTheSameText()
    {
        var report = SampleReports.October(BucketSize.Month, extraRoutes: 2);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Render(report, SampleReports.Options))));
        var texts = results.Select(r => PdfText.Read(r)).Select(p => string.Join('\n', Enumerable.Range(0, p.Pages.Count).Select(p.PageText))).ToList();
        Assert.All(texts, t => Assert.Equal(texts[0], t));
    }

    [Fact]
    public void Renderer_IsRegisteredForPdf()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddReports();
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var renderers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<IReportRenderer>(provider);
        Assert.Contains(renderers, r => r is PdfReportRenderer { Format: ReportFormatKind.Pdf });
    }

    private static async Task<byte[]> Render(AsrPerRouteReport report, RenderOptions options)
    {
        using var output = new MemoryStream();
        await new PdfReportRenderer().RenderAsync(report, options, output, CancellationToken.None);
        return output.ToArray();
    }

    private static string TwoDecimals(string csvField) =>
        csvField.Length == 0 ? ReportFormat.Empty : ReportFormat.Number(decimal.Parse(csvField, CultureInfo.InvariantCulture));

    /// <summary>The CSV's data rows as fields (RFC 4180: quoted fields, doubled quotes).</summary>
    private static async Task<List<string[]>> CsvRows(AsrPerRouteReport report)
    {
        using var stream = new MemoryStream();
        await AsrCsvWriter.WriteAsync(report, stream, CancellationToken.None);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        var rows = new List<string[]>();
        foreach (var line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var ch = line[i];
                if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = !quoted;
                }
                else if (ch == ',' && !quoted)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(ch);
                }
            }

            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}
