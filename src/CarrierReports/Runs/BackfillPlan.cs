using CarrierReports.Rendering;
using CarrierReports.Subscriptions;
using CarrierReports.Time;

namespace CarrierReports.Runs;

/// <summary>What a backfill runs: every cadence fire time in [from, to), oldest first; the same rules for <c>backfill</c> and the HTTP job.</summary>
public static class BackfillPlan
{
    /// <summary>The most runs one backfill starts: an hourly cadence for more than a year, a daily one for 27 years.</summary>
    public const int MaxRuns = 10_000;

    /// <param name="fromField">How the caller names the start: <c>--from</c> on the command line, <c>from</c> in the API.</param>
    public static (ReportPeriod Span, IReadOnlyList<DateTimeOffset> Fires) Resolve(Subscription s, string? from, string? to, DateTimeOffset now,
        string fromField = "--from", string toField = "--to")
    {
        ReportPeriod span;
        try
        {
            span = RangeExpression.Resolve(from, to, s.TimeZone, now);
        }
        catch (InputException ex) when (fromField != "--from")
        {
            var field = ex.Field == "--from" ? fromField : ex.Field == "--to" ? toField : ex.Field;
            throw new InputException(field, ex.Reason.Replace("--from", fromField, StringComparison.Ordinal).Replace("--to", toField, StringComparison.Ordinal), ex);
        }

        var fires = s.FireTimesBetween(span.UtcFrom.AddTicks(-1), span.UtcTo.AddTicks(-1));
        if (fires.Count == 0)
        {
            throw new InputException(fromField, $"the cadence '{s.Cadence}' does not fire between {ReportFormat.LocalTime(span.LocalFrom)} and {ReportFormat.LocalTime(span.LocalTo)}");
        }

        if (fires.Count > MaxRuns)
        {
            // Checked before the first run: a typo in a year (1900 for 2026) must not start tens of thousands of runs.
            throw new InputException(toField, $"the cadence '{s.Cadence}' fires {(fires.Count > Subscription.MaxFireTimes ? "more than " : "")}{fires.Count:N0} times between {ReportFormat.LocalTime(span.LocalFrom)} and {ReportFormat.LocalTime(span.LocalTo)}; one backfill runs at most {MaxRuns:N0}, so give a shorter span");
        }

        return (span, fires);
    }
}
