using System.Globalization;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The PDF a carrier manager reads: A4 landscape; a first page with the worst route, the totals against the previous
/// period and the definitions; a page of charts; the route totals; then one table row per bucket × route. Figures come
/// from <see cref="ReportFormat"/> so they match the CSV; fonts are embedded and subset, and all text is real text.
/// </summary>
public sealed class PdfReportRenderer : IReportRenderer
{
    private const double ChartHeight = 232;

    public ReportFormatKind Format => ReportFormatKind.Pdf;

    public async Task RenderAsync(AsrPerRouteReport report, RenderOptions options, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var texts = options.Texts ?? throw new InvalidOperationException("report texts not rendered");
        Validate(options);

        PdfFonts.EnsureRegistered();

        // PDFsharp keeps the whole document in memory and writes it in one go, so build it here and stream it out after.
        using var document = NewDocument(report, texts);
        var style = new PdfStyle();
        using (var composer = new PdfComposer(document, style, cancellationToken))
        {
            PdfSummarySection.Draw(composer, report, options, texts);
            if (!report.IsEmpty)
            {
                composer.NewPage();
                Charts(composer, report, options);
                composer.NewPage();
                RouteTotals(composer, report, options);
                Buckets(composer, report, options);
            }

            composer.Finish(texts.Title, $"Generated {ReportFormat.UtcTime(report.GeneratedAt)}");
        }

        using var buffer = new MemoryStream();
        document.Save(buffer, closeStream: false);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        PdfReproducible.Normalize(bytes.Span);
        await output.WriteAsync(bytes, cancellationToken);
    }

    private static void Validate(RenderOptions options)
    {
        if (options.AsrWarningThresholdPct is < 0 or > 100)
        {
            throw new InputException(nameof(RenderOptions.AsrWarningThresholdPct), "must be between 0 and 100");
        }

        if (options.MinimumSample < 1)
        {
            throw new InputException(nameof(RenderOptions.MinimumSample), "must be at least 1");
        }

        if (options.TopRoutes is < 1 or > 20)
        {
            throw new InputException(nameof(RenderOptions.TopRoutes), "must be between 1 and 20");
        }
    }

    private static PdfDocument NewDocument(AsrPerRouteReport report, ReportTexts texts)
    {
        var document = new PdfDocument();
        document.Info.Title = texts.Title;
        document.Info.Subject = $"{AsrPerRouteReport.Title}, carrier {report.Request.Carrier}, {ReportFormat.UtcTime(report.Request.Period.UtcFrom)} to {ReportFormat.UtcTime(report.Request.Period.UtcTo)}";
        document.Info.Creator = "CarrierReports";
        // Both dates are the report's, never the clock's: the same report must give the same bytes.
        document.Info.CreationDate = report.GeneratedAt.UtcDateTime;
        document.Info.ModificationDate = report.GeneratedAt.UtcDateTime;
        document.PageLayout = PdfPageLayout.SinglePage;
        return document;
    }

    private static void Charts(PdfComposer c, AsrPerRouteReport report, RenderOptions options)
    {
        var s = c.Style;
        var routes = PdfCharts.TopRoutes(report, options.TopRoutes);
        var bucket = report.Request.Bucket.Name();
        var title = routes.Count < options.TopRoutes
            ? $"ASR % per {bucket}, all {routes.Count} routes"
            : $"ASR % per {bucket}, top {routes.Count} routes by attempts";
        title += $" ({bucket}s with fewer than {ReportFormat.Count(options.MinimumSample)} attempts are not plotted)";
        c.Line(title, s.Heading, s.InkBrush, gapAfter: 4);
        PdfCharts.AsrByRoute(c.Gfx, s, ChartBox(c), report, routes, options);
        c.Y += ChartHeight + 10;
        c.Line($"Attempts and answered calls per {bucket}, all routes", s.Heading, s.InkBrush, gapAfter: 4);
        PdfCharts.Attempts(c.Gfx, s, ChartBox(c), report);
        c.Y += ChartHeight;
    }

    private static XRect ChartBox(PdfComposer c) => new(PdfStyle.Left, c.Y, PdfStyle.ContentWidth, ChartHeight);

    private static string Footnote(RenderOptions options) =>
        $"* fewer than {ReportFormat.Count(options.MinimumSample)} attempts: too few calls for the ratios to be reliable.   " +
        $"Red: ASR below {ReportFormat.Number(options.AsrWarningThresholdPct, 0)} % (shaded when the sample is large enough).   {ReportFormat.Empty} : undefined (no attempts, or no answered calls for ACD).";

    /// <summary>The figure columns, each a whole number of spaces wide so that <see cref="PdfTableRows"/> can join them.</summary>
    private static PdfColumn[] MetricColumns(PdfComposer c) =>
    [
        new("Attempts", PdfTableRows.FigureColumnWidth(c, 80), true),
        new("Answered", PdfTableRows.FigureColumnWidth(c, 80), true),
        new("ASR %", PdfTableRows.FigureColumnWidth(c, 70), true),
        new("ACD s", PdfTableRows.FigureColumnWidth(c, 75), true),
        new("Minutes", PdfTableRows.FigureColumnWidth(c, 90), true),
    ];

    /// <summary>One row per route over the whole period, lowest ASR first so problems lead.</summary>
    private static void RouteTotals(PdfComposer c, AsrPerRouteReport report, RenderOptions options)
    {
        var rows = report.RouteTotals
            .OrderBy(r => r.Metrics.AsrPct is null ? 1 : 0)
            .ThenBy(r => r.Metrics.AsrPct)
            .ThenByDescending(r => r.Metrics.Attempts)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .ToList();
        var metrics = MetricColumns(c);
        PdfColumn[] columns = [new("Route", PdfStyle.ContentWidth - metrics.Sum(m => m.Width), false), .. metrics];
        var table = new PdfTable(c, "Route totals for the period (lowest ASR first)", columns, Footnote(options));
        table.Draw(rows.Count, (i, cells) =>
        {
            cells[0] = new PdfCell(rows[i].Route);
            Metrics(cells[1..], rows[i].Metrics, options);
        }, i => i % 2 == 1);
    }

    /// <summary>The full grid, bucket by bucket; every other bucket is shaded so a bucket's routes read as a group.</summary>
    private static void Buckets(PdfComposer c, AsrPerRouteReport report, RenderOptions options)
    {
        c.NewPage();
        var bucketWidth = report.Request.Bucket == BucketSize.Hour ? 150 : 120;
        var metrics = MetricColumns(c);
        PdfColumn[] columns =
        [
            new($"{Capitalised(report.Request.Bucket.Name())} ({report.Request.Period.ZoneId})", bucketWidth, false),
            new("Route", PdfStyle.ContentWidth - bucketWidth - metrics.Sum(m => m.Width), false),
            .. metrics,
        ];
        var labels = report.Buckets.Select(b => BucketLabel(b, report.Request.Bucket)).ToArray();
        var rows = report.Rows;
        var table = new PdfTable(c, $"Per {report.Request.Bucket.Name()} and route", columns, Footnote(options));
        table.Draw(rows.Count, (i, cells) =>
        {
            var row = rows[i];
            cells[0] = new PdfCell(labels[row.Bucket.Index]);
            cells[1] = new PdfCell(row.Route);
            Metrics(cells[2..], row.Metrics, options);
        }, i => rows[i].Bucket.Index % 2 == 1);
    }

    private static void Metrics(Span<PdfCell> cells, Metrics m, RenderOptions options)
    {
        var small = m.Attempts > 0 && m.Attempts < options.MinimumSample;
        cells[0] = new PdfCell(small ? ReportFormat.Count(m.Attempts) + "*" : ReportFormat.Count(m.Attempts));
        cells[1] = new PdfCell(ReportFormat.Count(m.Answered));
        var low = m.AsrPct < options.AsrWarningThresholdPct;
        cells[2] = new PdfCell(PdfNumbers.Ratio(m.AsrPct), !low ? PdfMark.None : small ? PdfMark.Caution : PdfMark.Alarm);
        cells[3] = new PdfCell(PdfNumbers.Ratio(m.AcdSec));
        cells[4] = new PdfCell(PdfNumbers.Ratio(m.Minutes));
    }

    /// <summary>Hours carry their UTC offset so the repeated hour of a fall-back night appears as two distinct rows.</summary>
    internal static string BucketLabel(Bucket bucket, BucketSize size) => size switch
    {
        BucketSize.Hour => bucket.LocalStart.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
        BucketSize.Day => bucket.LocalStart.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture),
        BucketSize.Month => bucket.LocalStart.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static string Capitalised(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
