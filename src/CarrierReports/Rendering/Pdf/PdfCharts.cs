using System.Buffers.Binary;
using System.Globalization;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using ScottPlot;
using SkiaSharp;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The report's charts as raster images at twice their size on the page, so they stay sharp when printed or zoomed.
/// Tick labels are set here (invariant, in the report's local time) rather than left to ScottPlot, whose date ticks
/// follow the machine's culture.
/// </summary>
/// <remarks>
/// The pixels go to PDFsharp as an uncompressed 24-bit BMP rather than a PNG: PDFsharp decodes a PNG pixel by pixel
/// (about 150 ms per chart here) and re-compresses it with Flate anyway, so the PDF holds the same lossless image
/// either way, and a BMP is read in about a millisecond. 24 bits (no alpha) also spares an extra soft-mask image.
/// </remarks>
internal static class PdfCharts
{
    public const double PixelsPerPoint = 2;
    private const int MaxTicks = 12;

    /// <summary>The routes the ASR chart shows: most attempts first, calls without a route left out.</summary>
    public static IReadOnlyList<string> TopRoutes(AsrPerRouteReport report, int count) =>
        report.RouteTotals
            .Where(r => r.Route != AsrPerRouteReport.NoRoute && r.Metrics.Attempts > 0)
            .OrderByDescending(r => r.Metrics.Attempts)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .Take(count)
            .Select(r => r.Route)
            .ToList();

    /// <summary>
    /// ASR % per bucket for each of <paramref name="routes"/>. A bucket with fewer than the minimum sample of attempts
    /// is a gap, not a point: one unanswered call at night would otherwise draw a plunge to 0 %.
    /// </summary>
    public static byte[] AsrByRoute(AsrPerRouteReport report, IReadOnlyList<string> routes, RenderOptions options, double widthPt, double heightPt)
    {
        var plot = NewPlot(report);
        var n = report.Buckets.Count;
        var xs = Positions(n);
        var routeIndex = Index(report);
        var perBucket = report.Routes.Count;

        // The carrier as a whole first, in a heavy dark line: it usually has enough calls when single routes do not.
        var carrier = new Metrics[n];
        for (var i = 0; i < report.Rows.Count; i++)
        {
            carrier[i / perBucket] += report.Rows[i].Metrics;
        }

        Series(plot, xs, carrier, "All routes", options.MinimumSample, Colors.Black, 2.5f);
        var palette = new ScottPlot.Palettes.Category10();
        for (var k = 0; k < routes.Count; k++)
        {
            var r = routeIndex[routes[k]];
            var metrics = new Metrics[n];
            for (var b = 0; b < n; b++)
            {
                metrics[b] = report.Rows[b * perBucket + r].Metrics;
            }

            Series(plot, xs, metrics, routes[k], options.MinimumSample, palette.GetColor(k), 1.5f);
        }

        var threshold = plot.Add.HorizontalLine((double)options.AsrWarningThresholdPct);
        threshold.LineColor = Colors.Red.WithAlpha(0.6);
        threshold.LinePattern = LinePattern.Dashed;
        threshold.LineWidth = 1;
        threshold.LegendText = $"{ReportFormat.Number(options.AsrWarningThresholdPct, 0)} % warning";

        plot.Axes.SetLimits(-0.5, xs.Length - 0.5, 0, 100);
        plot.YLabel("ASR %");
        plot.ShowLegend(Edge.Right);
        return Bitmap(plot, widthPt, heightPt);
    }

    /// <summary>Attempts and answered calls per bucket over all routes.</summary>
    public static byte[] Attempts(AsrPerRouteReport report, double widthPt, double heightPt)
    {
        var plot = NewPlot(report);
        var n = report.Buckets.Count;
        var attempts = new double[n];
        var answered = new double[n];
        var perBucket = report.Routes.Count;
        for (var i = 0; i < report.Rows.Count; i++)
        {
            var m = report.Rows[i].Metrics;
            attempts[i / perBucket] += m.Attempts;
            answered[i / perBucket] += m.Answered;
        }

        var xs = Positions(n);
        var all = plot.Add.Bars(xs, attempts);
        all.LegendText = "Attempts";
        all.Color = Color.FromHex("#9DB4D0");
        var ok = plot.Add.Bars(xs, answered);
        ok.LegendText = "Answered";
        ok.Color = Color.FromHex("#2E7D4F");
        foreach (var bar in all.Bars.Concat(ok.Bars))
        {
            bar.Size = 0.8;
            bar.LineWidth = 0;
        }

        plot.Axes.SetLimits(-0.5, n - 0.5, 0, Math.Max(1, attempts.Max()) * 1.08);
        plot.YLabel("Calls");
        plot.ShowLegend(Edge.Right);
        return Bitmap(plot, widthPt, heightPt);
    }

    private static void Series(Plot plot, double[] xs, Metrics[] metrics, string label, long minimumSample, Color color, float width)
    {
        var ys = new double[xs.Length];
        for (var b = 0; b < ys.Length; b++)
        {
            ys[b] = metrics[b].Attempts >= minimumSample && metrics[b].AsrPct is { } v ? (double)v : double.NaN;
        }

        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = width;
        line.MarkerSize = xs.Length <= 40 ? 4 : 0;
    }

    private static Plot NewPlot(AsrPerRouteReport report)
    {
        var plot = new Plot { ScaleFactor = PixelsPerPoint };
        plot.Font.Set(PdfFonts.Family);

        // ScottPlot's default sizes are for screens; on paper they would dwarf the 8-9 pt text around the chart.
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 9;
            axis.Label.FontSize = 10;
        }

        plot.Legend.FontSize = 9;
        var (positions, labels) = Ticks(report.Buckets, report.Request.Bucket);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.XLabel($"Local time ({report.Request.Period.ZoneId})");
        return plot;
    }

    /// <summary>
    /// At most <see cref="MaxTicks"/> labels at evenly spaced buckets; hourly charts longer than two days put their
    /// ticks on local midnights so the labels read as dates.
    /// </summary>
    internal static (double[] Positions, string[] Labels) Ticks(IReadOnlyList<Bucket> buckets, BucketSize size)
    {
        var longHourly = size == BucketSize.Hour && buckets.Count > 48;
        var candidates = buckets.Where(b => !longHourly || b.LocalStart.TimeOfDay == TimeSpan.Zero).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. buckets];
        }

        var step = (candidates.Count + MaxTicks - 1) / MaxTicks;
        var chosen = candidates.Where((_, i) => i % step == 0).ToList();
        var format = size switch
        {
            BucketSize.Hour when !longHourly => "HH:mm",
            BucketSize.Month => "yyyy-MM",
            _ => "MM-dd",
        };
        return (chosen.Select(b => (double)b.Index).ToArray(), chosen.Select(b => b.LocalStart.ToString(format, CultureInfo.InvariantCulture)).ToArray());
    }

    private static double[] Positions(int n)
    {
        var xs = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = i;
        }

        return xs;
    }

    private static Dictionary<string, int> Index(AsrPerRouteReport report)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < report.Routes.Count; i++)
        {
            index[report.Routes[i]] = i;
        }

        return index;
    }

    private static byte[] Bitmap(Plot plot, double widthPt, double heightPt)
    {
        var width = (int)Math.Round(widthPt * PixelsPerPoint);
        var height = (int)Math.Round(heightPt * PixelsPerPoint);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not create a {width}x{height} drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        plot.Render(surface.Canvas, width, height);
        using var pixmap = surface.PeekPixels();
        return Bmp24(pixmap.GetPixelSpan(), width, height, pixmap.RowBytes);
    }

    /// <summary>A bottom-up 24-bit BMP (BITMAPINFOHEADER) of opaque BGRA pixels.</summary>
    internal static byte[] Bmp24(ReadOnlySpan<byte> bgra, int width, int height, int stride)
    {
        const int headerSize = 14 + 40;
        var rowSize = (width * 3 + 3) & ~3;
        var bytes = new byte[headerSize + rowSize * height];
        var span = bytes.AsSpan();
        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], rowSize * height);

        // 144 pixels per inch, i.e. two pixels per point, so viewers that read the resolution size it right.
        BinaryPrimitives.WriteInt32LittleEndian(span[38..], 5669);
        BinaryPrimitives.WriteInt32LittleEndian(span[42..], 5669);
        for (var y = 0; y < height; y++)
        {
            var source = bgra.Slice(y * stride, width * 4);
            var target = span.Slice(headerSize + (height - 1 - y) * rowSize, width * 3);
            for (var x = 0; x < width; x++)
            {
                target[x * 3] = source[x * 4];
                target[x * 3 + 1] = source[x * 4 + 1];
                target[x * 3 + 2] = source[x * 4 + 2];
            }
        }

        return bytes;
    }
}
