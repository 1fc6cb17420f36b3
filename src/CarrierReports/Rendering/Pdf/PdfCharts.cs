using System.Globalization;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The report's charts, drawn as PDF vectors and text (see <see cref="PdfChartFrame"/>). Tick labels are invariant and in
/// the report's local time. Colours: the carrier in black, routes in the common ten-colour "category" set.
/// </summary>
internal static class PdfCharts
{
    private const int MaxTicks = 12;

    private static readonly XColor ThresholdRed = XColor.FromArgb(255, 102, 102);
    private static readonly XColor AttemptsBlue = XColor.FromArgb(0x9D, 0xB4, 0xD0);
    private static readonly XColor AnsweredGreen = XColor.FromArgb(0x2E, 0x7D, 0x4F);

    private static readonly XColor[] Palette =
    [
        XColor.FromArgb(0x1F, 0x77, 0xB4), XColor.FromArgb(0xFF, 0x7F, 0x0E), XColor.FromArgb(0x2C, 0xA0, 0x2C), XColor.FromArgb(0xD6, 0x27, 0x28),
        XColor.FromArgb(0x94, 0x67, 0xBD), XColor.FromArgb(0x8C, 0x56, 0x4B), XColor.FromArgb(0xE3, 0x77, 0xC2), XColor.FromArgb(0x7F, 0x7F, 0x7F),
        XColor.FromArgb(0xBC, 0xBD, 0x22), XColor.FromArgb(0x17, 0xBE, 0xCF),
    ];

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
    /// ASR % per bucket for each of <paramref name="routes"/>, drawn into <paramref name="box"/>. A bucket with fewer than
    /// the minimum sample of attempts is a gap, not a point: one unanswered call at night would otherwise draw a plunge to 0 %.
    /// </summary>
    public static void AsrByRoute(XGraphics gfx, PdfStyle style, XRect box, AsrPerRouteReport report, IReadOnlyList<string> routes, RenderOptions options)
    {
        var n = report.Buckets.Count;
        var routeIndex = Index(report);
        var perBucket = report.Routes.Count;

        // The carrier as a whole first, in a heavy dark line: it usually has enough calls when single routes do not.
        var carrier = new Metrics[n];
        for (var i = 0; i < report.Rows.Count; i++)
        {
            carrier[i / perBucket] += report.Rows[i].Metrics;
        }

        var series = new List<(string Label, double[] Ys, XColor Color, double Width)> { ("All routes", Asr(carrier, options.MinimumSample), XColors.Black, 2.5) };
        for (var k = 0; k < routes.Count; k++)
        {
            var r = routeIndex[routes[k]];
            var metrics = new Metrics[n];
            for (var b = 0; b < n; b++)
            {
                metrics[b] = report.Rows[b * perBucket + r].Metrics;
            }

            series.Add((routes[k], Asr(metrics, options.MinimumSample), Palette[k % Palette.Length], 1.5));
        }

        var markers = n <= 40;
        var legend = series.Select(s => new PdfLegendEntry(s.Label, s.Color, s.Width, Marker: markers))
            .Append(new PdfLegendEntry($"{ReportFormat.Number(options.AsrWarningThresholdPct, 0)} % warning", ThresholdRed, 1, Dashed: true))
            .ToList();
        double[] yValues = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        var frame = new PdfChartFrame(gfx, style, box, (-0.5, n - 0.5), 100, Ticks(report.Buckets, report.Request.Bucket),
            (yValues, yValues.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()), XTitle(report), "ASR %", legend);

        var thresholdY = frame.Y((double)options.AsrWarningThresholdPct);
        gfx.DrawLine(new XPen(ThresholdRed, 1) { DashStyle = XDashStyle.Dash }, frame.Plot.Left, thresholdY, frame.Plot.Right, thresholdY);
        foreach (var s in series)
        {
            Line(gfx, frame, s.Ys, s.Color, s.Width, markers);
        }

        frame.Border();
    }

    /// <summary>Attempts and answered calls per bucket over all routes, as overlapping bars.</summary>
    public static void Attempts(XGraphics gfx, PdfStyle style, XRect box, AsrPerRouteReport report)
    {
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

        // At least 5 so that even a nearly empty chart gets whole-number ticks.
        var yMax = Math.Max(5, attempts.Max() * 1.08);
        var yValues = PdfChartFrame.NiceTicks(yMax);
        var legend = new[] { new PdfLegendEntry("Attempts", AttemptsBlue, 0, Bar: true), new PdfLegendEntry("Answered", AnsweredGreen, 0, Bar: true) };
        var frame = new PdfChartFrame(gfx, style, box, (-0.5, n - 0.5), yMax, Ticks(report.Buckets, report.Request.Bucket),
            (yValues, yValues.Select(v => ReportFormat.Count((long)v)).ToArray()), XTitle(report), "Calls", legend);
        Bars(gfx, frame, attempts, AttemptsBlue);
        Bars(gfx, frame, answered, AnsweredGreen);
        frame.Border();
    }

    private static string XTitle(AsrPerRouteReport report) => $"Local time ({report.Request.Period.ZoneId})";

    private static double[] Asr(Metrics[] metrics, long minimumSample)
    {
        var ys = new double[metrics.Length];
        for (var b = 0; b < ys.Length; b++)
        {
            ys[b] = metrics[b].Attempts >= minimumSample && metrics[b].AsrPct is { } v ? (double)v : double.NaN;
        }

        return ys;
    }

    /// <summary>One polyline per run of plotted buckets; a run of one bucket is a dot so a lone value still shows.</summary>
    private static void Line(XGraphics gfx, PdfChartFrame frame, double[] ys, XColor color, double width, bool markers)
    {
        var pen = new XPen(color, width) { LineJoin = XLineJoin.Round, LineCap = XLineCap.Round };
        var brush = new XSolidBrush(color);
        var run = new List<XPoint>();
        for (var b = 0; b <= ys.Length; b++)
        {
            if (b < ys.Length && !double.IsNaN(ys[b]))
            {
                run.Add(new XPoint(frame.X(b), frame.Y(ys[b])));
                continue;
            }

            if (run.Count > 1)
            {
                gfx.DrawLines(pen, run.ToArray());
            }
            else if (run.Count == 1 && !markers)
            {
                gfx.DrawEllipse(brush, run[0].X - width, run[0].Y - width, 2 * width, 2 * width);
            }

            if (markers)
            {
                foreach (var p in run)
                {
                    gfx.DrawEllipse(brush, p.X - 2, p.Y - 2, 4, 4);
                }
            }

            run.Clear();
        }
    }

    private static void Bars(XGraphics gfx, PdfChartFrame frame, double[] values, XColor color)
    {
        var slot = frame.X(1) - frame.X(0);
        var rects = new List<XRect>(values.Length);
        for (var b = 0; b < values.Length; b++)
        {
            if (values[b] > 0)
            {
                var top = frame.Y(values[b]);
                rects.Add(new XRect(frame.X(b) - 0.4 * slot, top, 0.8 * slot, frame.Plot.Bottom - top));
            }
        }

        if (rects.Count > 0)
        {
            gfx.DrawRectangles(new XSolidBrush(color), rects.ToArray());
        }
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

    private static Dictionary<string, int> Index(AsrPerRouteReport report)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < report.Routes.Count; i++)
        {
            index[report.Routes[i]] = i;
        }

        return index;
    }
}
