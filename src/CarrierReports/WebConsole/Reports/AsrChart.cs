using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using Microsoft.AspNetCore.Html;

namespace CarrierReports.WebConsole.Reports;

/// <summary>A chart series: a route, its colour and dash pattern (so lines differ by more than colour).</summary>
public sealed record ChartSeries(string Route, string Colour, string Dash);

/// <summary>
/// ASR per route over time as inline SVG, drawn on the server: no script, and only presentation attributes (the CSP
/// forbids <c>style</c>). The routes with the most attempts are drawn; a bucket without attempts breaks the line
/// rather than drawing 0 %. The dashed red line is the ASR threshold.
/// </summary>
public static class AsrChart
{
    private const double Width = 640, Height = 280, Left = 52, Right = 12, Top = 12, Bottom = 34;
    private static readonly string[] Colours = ["#0b62a4", "#b06000", "#1b7f3a", "#8e3b94", "#2a7f8f", "#333333", "#7a5230", "#5b5fc7"];
    private static readonly string[] Dashes = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 2", "6 2 2 2"];

    public static IReadOnlyList<ChartSeries> SeriesFor(AsrPerRouteReport report, int top) =>
        [.. report.RouteTotals.Where(r => r.Metrics.Attempts > 0).OrderByDescending(r => r.Metrics.Attempts).ThenBy(r => r.Route, StringComparer.Ordinal)
            .Take(top).Select((r, i) => new ChartSeries(r.Route, Colours[i % Colours.Length], Dashes[i % Dashes.Length]))];

    public static IHtmlContent Render(AsrPerRouteReport report, IReadOnlyList<ChartSeries> series, decimal thresholdPct)
    {
        var enc = HtmlEncoder.Default;
        var buckets = report.Buckets;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(int i) => Left + (buckets.Count <= 1 ? plotW / 2 : i * plotW / (buckets.Count - 1));
        double Y(decimal pct) => Top + (double)(100m - pct) / 100d * plotH;
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {F(Width)} {F(Height)}\" role=\"img\" aria-labelledby=\"asr-chart-title asr-chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">")
            .Append("<title id=\"asr-chart-title\">ASR per route over time</title>")
            .Append("<desc id=\"asr-chart-desc\">").Append(enc.Encode($"ASR in percent for the {series.Count} routes with the most attempts, per {report.Request.Bucket.Name()}; the dashed red line is the {thresholdPct} % threshold. The table below has every value.")).Append("</desc>");
        foreach (var pct in new[] { 0, 25, 50, 75, 100 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Y(pct))}\" y2=\"{F(Y(pct))}\" stroke=\"#d5dae1\" stroke-width=\"1\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 6)}\" y=\"{F(Y(pct) + 4)}\" text-anchor=\"end\" font-size=\"14\" fill=\"#515c6b\">{pct} %</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(buckets.Count / 6d));
        var format = report.Request.Bucket switch { BucketSize.Month => "yyyy-MM", BucketSize.Day => "MM-dd", _ => "MM-dd HH:mm" };
        for (var i = 0; i < buckets.Count; i += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(i))}\" y=\"{F(Height - 10)}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#515c6b\">{enc.Encode(buckets[i].LocalStart.ToString(format, CultureInfo.InvariantCulture))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Y(thresholdPct))}\" y2=\"{F(Y(thresholdPct))}\" stroke=\"#b0241b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>");
        var cells = report.Rows.ToLookup(r => r.Route, StringComparer.Ordinal);
        foreach (var s in series)
        {
            AppendSeries(svg, s, cells[s.Route].OrderBy(r => r.Bucket.Index).ToList(), X, Y);
        }

        return new HtmlString(svg.Append("</svg>").ToString());
    }

    /// <summary>One polyline per run of buckets with attempts; a lone point is a dot.</summary>
    private static void AppendSeries(StringBuilder svg, ChartSeries s, IReadOnlyList<AsrRow> rows, Func<int, double> x, Func<decimal, double> y)
    {
        var run = new List<string>();
        void Flush()
        {
            if (run.Count == 1)
            {
                var xy = run[0].Split(',');
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{s.Colour}\"/>");
            }
            else if (run.Count > 1)
            {
                var dash = s.Dash.Length > 0 ? $" stroke-dasharray=\"{s.Dash}\"" : "";
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\"{dash} points=\"{string.Join(' ', run)}\"/>");
            }

            run.Clear();
        }

        foreach (var row in rows)
        {
            if (row.Metrics.AsrPct is { } pct)
            {
                run.Add(string.Create(CultureInfo.InvariantCulture, $"{x(row.Bucket.Index):0.#},{y(pct):0.#}"));
            }
            else
            {
                Flush();
            }
        }

        Flush();
    }

    /// <summary>A short sample of a series' line for the legend.</summary>
    public static IHtmlContent Swatch(ChartSeries s)
    {
        var dash = s.Dash.Length > 0 ? $" stroke-dasharray=\"{s.Dash}\"" : "";
        return new HtmlString($"<svg width=\"28\" height=\"10\" aria-hidden=\"true\" focusable=\"false\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\" stroke=\"{s.Colour}\" stroke-width=\"3\"{dash}/></svg>");
    }
}
