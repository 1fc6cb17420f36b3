using System.Globalization;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The first page: what the report is (carrier, period with zone and exact UTC bounds, bucket), the worst and best
/// route in coloured boxes at the top where nobody can miss them, the carrier totals against the previous period, and
/// the texts from the templates (notes, metric definitions).
/// </summary>
internal static class PdfSummarySection
{
    private const double CalloutHeight = 54;

    public static void Draw(PdfComposer c, AsrPerRouteReport report, RenderOptions options, ReportTexts texts)
    {
        c.NewPage();
        Header(c, report, texts);
        c.Y += 6;
        if (report.IsEmpty)
        {
            Box(c, PdfStyle.Left, PdfStyle.ContentWidth, c.Style.NeutralBrush, c.Style.InkBrush, "No CDRs for this carrier in this period",
                "There were no call attempts between the UTC bounds above, so there are no routes, charts or table rows.");
        }
        else
        {
            Callouts(c, report, options);
        }

        c.Y += CalloutHeight + 12;
        var top = c.Y;
        Totals(c, report);
        var afterTotals = c.Y;
        if (!report.IsEmpty)
        {
            c.Y = top;
            RouteOverview(c, report, options);
        }

        c.Y = Math.Max(afterTotals, c.Y) + 10;
        if (!string.IsNullOrWhiteSpace(texts.Notes))
        {
            c.EnsureRoom(40);
            c.Line("Notes", c.Style.Heading, c.Style.InkBrush, gapAfter: 3);
            c.Paragraph(texts.Notes, c.Style.Body, c.Style.InkBrush);
            c.Y += 8;
        }

        c.EnsureRoom(40);
        c.Line("Definitions", c.Style.Heading, c.Style.InkBrush, gapAfter: 3);
        c.Paragraph(texts.Footer, c.Style.Body, c.Style.MutedBrush);
    }

    private static void Header(PdfComposer c, AsrPerRouteReport report, ReportTexts texts)
    {
        var s = c.Style;
        var request = report.Request;
        var p = request.Period;
        var carrier = request.CarrierName == request.Carrier ? request.Carrier : $"{request.CarrierName} ({request.Carrier})";
        c.Line(texts.Title, s.Title, s.InkBrush, gapAfter: 5);
        c.Line($"Carrier: {carrier}    Report: {AsrPerRouteReport.Title}    Bucket: {request.Bucket.ToString().ToLowerInvariant()}", s.BodyBold, s.InkBrush);
        c.Line($"Period: {Local(p.LocalFrom)} to {Local(p.LocalTo)}, time zone {p.ZoneId} ({p.Expression})", s.Body, s.InkBrush);
        c.Line($"UTC bounds: from {ReportFormat.UtcTime(p.UtcFrom)} (inclusive) to {ReportFormat.UtcTime(p.UtcTo)} (exclusive)", s.Body, s.InkBrush);
        c.Line($"Generated: {ReportFormat.UtcTime(report.GeneratedAt)} ({Local(p.Zone.ToLocal(report.GeneratedAt))} {p.ZoneId})", s.Body, s.MutedBrush);
    }

    internal static string Local(DateTimeOffset t) =>
        t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC" + t.ToString("zzz", CultureInfo.InvariantCulture) + ")";

    private static void Callouts(PdfComposer c, AsrPerRouteReport report, RenderOptions options)
    {
        var s = c.Style;
        var ranking = RouteRanking.Of(report, options.MinimumSample);
        if (ranking.Worst is not { } worst || ranking.Best is not { } best)
        {
            Box(c, PdfStyle.Left, PdfStyle.ContentWidth, s.NeutralBrush, s.InkBrush, "No route ranked",
                $"No route has at least {ReportFormat.Count(options.MinimumSample)} attempts, so no best or worst route is named.");
            return;
        }

        var gap = 12;
        var wide = PdfStyle.ContentWidth * 0.58;
        // Red only when the worst route is below the warning threshold: the worst of good routes is not an alarm.
        var alarm = worst.Metrics.AsrPct is { } asr && asr < options.AsrWarningThresholdPct;
        Box(c, PdfStyle.Left, wide, alarm ? s.AlarmBrush : s.NeutralBrush, alarm ? s.WhiteBrush : s.InkBrush,
            $"Worst route: {worst.Route}   ASR {PdfNumbers.Percent(worst.Metrics.AsrPct)}", Detail(worst, report));
        Box(c, PdfStyle.Left + wide + gap, PdfStyle.ContentWidth - wide - gap, s.GoodFillBrush, s.GoodBrush, $"Best route: {best.Route}   ASR {PdfNumbers.Percent(best.Metrics.AsrPct)}", Detail(best, report));
    }

    private static string Detail(RouteTotal route, AsrPerRouteReport report)
    {
        var m = route.Metrics;
        return $"{ReportFormat.Count(m.Attempts)} attempts, {ReportFormat.Count(m.Answered)} answered, ACD {PdfNumbers.Ratio(m.AcdSec)} s (carrier ASR {PdfNumbers.Percent(report.Total.AsrPct)})";
    }

    private static void Box(PdfComposer c, double x, double width, XBrush fill, XBrush ink, string headline, string detail)
    {
        var s = c.Style;
        var gfx = c.Gfx;
        gfx.DrawRectangle(fill, x, c.Y, width, CalloutHeight);
        var inner = width - 20;
        var (text, font) = Shrink(gfx, headline, s.Callout, inner);
        gfx.DrawString(text, font, ink, x + 10, c.Y + 9, XStringFormats.TopLeft);
        (text, font) = Shrink(gfx, detail, s.Body, inner);
        gfx.DrawString(text, font, ink, x + 10, c.Y + 33, XStringFormats.TopLeft);
    }

    /// <summary>Route names can be long: step the font down until the line fits rather than letting it run out of the box.</summary>
    private static (string, XFont) Shrink(XGraphics gfx, string text, XFont font, double width)
    {
        var size = font.Size;
        var current = font;
        while (gfx.MeasureString(text, current).Width > width && size > 6)
        {
            size -= 0.5;
            current = new XFont(font.FontFamily.Name, size, font.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
        }

        return (text, current);
    }

    private static void Totals(PdfComposer c, AsrPerRouteReport report)
    {
        var s = c.Style;
        var gfx = c.Gfx;
        var now = report.Total;
        var before = report.PreviousTotal;
        var previous = report.Request.Period.Previous();
        c.Line("Carrier totals", s.Heading, s.InkBrush, gapAfter: 2);
        c.Line(before is null
                ? "Previous period: no comparison (not computed for this report)."
                : $"Compared with the previous period of equal length: {Local(previous.LocalFrom)} to {Local(previous.LocalTo)}.",
            s.Small, s.MutedBrush, gapAfter: 4);

        double[] widths = [110, 110, 110, 110];
        string[] header = ["", "This period", "Previous period", "Change"];
        var rows = new (string Label, string Now, string Before, string Change, int Trend)[]
        {
            ("Attempts", ReportFormat.Count(now.Attempts), Prev(b => ReportFormat.Count(b.Attempts)), Prev(b => PdfNumbers.RelativeChange(now.Attempts, b.Attempts)), 0),
            ("Answered", ReportFormat.Count(now.Answered), Prev(b => ReportFormat.Count(b.Answered)), Prev(b => PdfNumbers.RelativeChange(now.Answered, b.Answered)), 0),
            ("ASR", PdfNumbers.Percent(now.AsrPct), Prev(b => PdfNumbers.Percent(b.AsrPct)), Prev(b => PdfNumbers.Difference(now.AsrPct, b.AsrPct, "pp")), Trend(now.AsrPct, before?.AsrPct)),
            ("ACD", Seconds(now.AcdSec), Prev(b => Seconds(b.AcdSec)), Prev(b => PdfNumbers.Difference(now.AcdSec, b.AcdSec, "s")), Trend(now.AcdSec, before?.AcdSec)),
            ("Minutes", PdfNumbers.Ratio(now.Minutes), Prev(b => PdfNumbers.Ratio(b.Minutes)), Prev(b => PdfNumbers.RelativeChange(now.Minutes, b.Minutes)), 0),
        };

        const double rowHeight = 15;
        var y = c.Y;
        gfx.DrawRectangle(s.HeaderBrush, PdfStyle.Left, y, widths.Sum(), rowHeight);
        Cells(gfx, s, y, widths, header, s.BodyBold, s.InkBrush, null);
        y += rowHeight;
        foreach (var row in rows)
        {
            var changeBrush = row.Trend switch { < 0 => s.AlarmTextBrush, > 0 => s.GoodBrush, _ => s.InkBrush };
            Cells(gfx, s, y, widths, [row.Label, row.Now, row.Before, row.Change], s.Body, s.InkBrush, changeBrush);
            gfx.DrawLine(s.RulePen, PdfStyle.Left, y + rowHeight, PdfStyle.Left + widths.Sum(), y + rowHeight);
            y += rowHeight;
        }

        c.Y = y;

        string Prev(Func<Metrics, string> format) => before is { } b ? format(b) : "no comparison";
    }

    private static string Seconds(decimal? value) => value is null ? ReportFormat.Empty : PdfNumbers.Ratio(value) + " s";

    private static int Trend(decimal? now, decimal? before) =>
        now is { } n && before is { } b ? Math.Sign(Math.Round(n, 2, MidpointRounding.AwayFromZero) - Math.Round(b, 2, MidpointRounding.AwayFromZero)) : 0;

    private static void Cells(XGraphics gfx, PdfStyle s, double y, double[] widths, string[] texts, XFont font, XBrush brush, XBrush? lastBrush)
    {
        var x = PdfStyle.Left;
        for (var i = 0; i < texts.Length; i++)
        {
            var rect = new XRect(x + 4, y, widths[i] - 8, 15);
            var cellBrush = i == texts.Length - 1 && lastBrush is not null ? lastBrush : brush;
            var cellFont = i == 0 ? s.BodyBold : font;
            gfx.DrawString(texts[i], cellFont, cellBrush, rect, i == 0 ? XStringFormats.CenterLeft : XStringFormats.CenterRight);
            x += widths[i];
        }
    }

    /// <summary>Beside the totals: how many routes were ranked, and which fell below the ASR warning threshold.</summary>
    private static void RouteOverview(PdfComposer c, AsrPerRouteReport report, RenderOptions options)
    {
        var s = c.Style;
        var x = PdfStyle.Left + 470;
        var width = PdfStyle.Right - x;
        var ranking = RouteRanking.Of(report, options.MinimumSample);
        c.Line("Routes", s.Heading, s.InkBrush, x, gapAfter: 4);
        // Calls without a route are a row of their own but never ranked: say so, or the counts do not add up.
        var unrouted = report.Routes.Contains(AsrPerRouteReport.NoRoute) ? $", and {AsrPerRouteReport.NoRoute} (calls without a route) is not ranked" : "";
        c.Paragraph($"{report.Routes.Count} routes with traffic; {ranking.Ranked} ranked (at least {ReportFormat.Count(options.MinimumSample)} attempts), {ranking.TooSmall} too small to rank{unrouted}.", s.Small, s.MutedBrush, width, x);
        c.Y += 3;
        var low = report.RouteTotals
            .Where(r => r.Route != AsrPerRouteReport.NoRoute && r.Metrics.Attempts >= options.MinimumSample && r.Metrics.AsrPct < options.AsrWarningThresholdPct)
            .OrderBy(r => r.Metrics.AsrPct).ThenBy(r => r.Route, StringComparer.Ordinal)
            .ToList();
        var threshold = ReportFormat.Number(options.AsrWarningThresholdPct, 0);
        if (low.Count == 0)
        {
            c.Line($"No ranked route is below {threshold} % ASR.", s.Body, s.GoodBrush, x);
            return;
        }

        c.Line($"{low.Count} ranked route(s) below {threshold} % ASR:", s.BodyBold, s.AlarmTextBrush, x, 3);
        const int shown = 6;
        foreach (var r in low.Take(shown))
        {
            var (text, font) = Shrink(c.Gfx, $"{r.Route}: {PdfNumbers.Percent(r.Metrics.AsrPct)} of {ReportFormat.Count(r.Metrics.Attempts)} attempts", s.Body, width - 10);
            c.Line("• " + text, font, s.AlarmTextBrush, x + 4, 1);
        }

        if (low.Count > shown)
        {
            c.Line($"and {low.Count - shown} more (see the route totals table).", s.Body, s.AlarmTextBrush, x + 4, 1);
        }
    }
}
