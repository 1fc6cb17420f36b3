using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Reports;

/// <summary>The few lines a person reads after a report command: what period, which totals, which route to look at.</summary>
public static class ConsoleSummary
{
    public static async Task WriteAsync(AsrPerRouteReport report, IReadOnlyList<string> paths, TextWriter stdout, long minimumSample = 30)
    {
        var r = report.Request;
        var p = r.Period;
        await stdout.WriteLineAsync($"{AsrPerRouteReport.Title} — carrier {r.CarrierName} ({r.Carrier}), {r.Bucket.Name()} buckets");
        await stdout.WriteLineAsync($"  period  {ReportFormat.LocalTime(p.LocalFrom)} to {ReportFormat.LocalTime(p.LocalTo)} ({p.ZoneId}, end excluded)");
        await stdout.WriteLineAsync($"  UTC     {ReportFormat.UtcTime(p.UtcFrom)} to {ReportFormat.UtcTime(p.UtcTo)}");
        if (report.IsEmpty)
        {
            await stdout.WriteLineAsync("  No CDRs for this carrier in this period: the report is empty.");
        }
        else
        {
            var t = report.Total;
            await stdout.WriteLineAsync($"  total   {ReportFormat.Count(t.Attempts)} attempts, {ReportFormat.Count(t.Answered)} answered, ASR {ReportFormat.Percent(t.AsrPct)}, ACD {ReportFormat.Number(t.AcdSec, 1)} s, {ReportFormat.Number(t.Minutes, 1)} min");
            await stdout.WriteLineAsync($"  routes  {report.Routes.Count} routes × {report.Buckets.Count} buckets = {report.Rows.Count} rows");
            var ranking = RouteRanking.Of(report, minimumSample);
            if (ranking is { Worst: { } worst, Best: { } best })
            {
                await stdout.WriteLineAsync($"  worst   {worst.Route}: ASR {ReportFormat.Percent(worst.Metrics.AsrPct)} over {ReportFormat.Count(worst.Metrics.Attempts)} attempts");
                await stdout.WriteLineAsync($"  best    {best.Route}: ASR {ReportFormat.Percent(best.Metrics.AsrPct)} over {ReportFormat.Count(best.Metrics.Attempts)} attempts");
            }
        }

        if (report.NegativeDurationRows > 0)
        {
            await stdout.WriteLineAsync($"  warning {report.NegativeDurationRows} CDR rows have a negative duration: counted as attempts, not as answered");
        }

        foreach (var warning in DataWarnings(report))
        {
            await stdout.WriteLineAsync("  warning " + warning);
        }

        foreach (var path in paths)
        {
            await stdout.WriteLineAsync($"  wrote   {path}");
        }
    }

    /// <summary>One line per CDR data issue of the report; also for stderr, where scripts look for trouble.</summary>
    public static IEnumerable<string> DataWarnings(AsrPerRouteReport report)
    {
        var i = report.Issues;
        if (i.CarrierNotInTable)
        {
            yield return $"carrier '{report.Request.Carrier}' has no rows at all in the CDR table" +
                (i.SimilarCarriers.Count > 0 ? $"; did you mean {ReportFormat.Quoted(i.SimilarCarriers)}?" : "; check the carrier id");
        }

        if (i.UnreadableStartRows > 0)
        {
            yield return $"{i.UnreadableStartRows} CDR rows of this carrier have a start time that cannot be read (NULL, or text that is not ISO-8601): they are in no report";
        }

        if (i.UnlistedAnswerRows > 0)
        {
            yield return $"{i.UnlistedAnswerRows} CDR rows had an answer value outside the configured lists: {ReportFormat.Quoted(i.UnlistedAnswerValues)} (counted as attempts, not as answered)";
        }
    }
}
