using System.Globalization;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Templating;

/// <summary>
/// What a template sees, as plain values: Scriban exposes each property in snake_case (<c>WorstRoutes</c> is
/// <c>worst_routes</c>). Figures come twice: formatted with <see cref="ReportFormat"/> so every output shows the same
/// text (<c>totals.asr</c> is "42.17 %"), and raw (<c>totals.asr_value</c>) for comparisons. A ratio without a
/// denominator is "—" formatted and null raw.
/// </summary>
public sealed class TemplateModel
{
    /// <summary>How many of the lowest-ASR routes the mail lists.</summary>
    public const int WorstRouteCount = 5;

    public required ReportModel Report { get; init; }
    public required CarrierModel Carrier { get; init; }
    public required PeriodModel Period { get; init; }

    /// <summary>When the report was computed, UTC, e.g. "2026-11-01T06:00:03Z".</summary>
    public required string GeneratedAt { get; init; }

    public required MetricsModel Totals { get; init; }

    /// <summary>Against the previous period of equal length; <c>change.available</c> is false when it was not computed.</summary>
    public required ChangeModel Change { get; init; }

    /// <summary>Lowest ASR first, among routes with at least <see cref="MinimumSample"/> attempts, without the no-route bucket; at most <see cref="WorstRouteCount"/>.</summary>
    public required IReadOnlyList<RouteModel> WorstRoutes { get; init; }

    /// <summary>Highest ASR among the same ranked routes; null when no route has enough attempts.</summary>
    public required RouteModel? BestRoute { get; init; }

    /// <summary>Calls that were never routed (shown as "(none)" in the report files); null when there were none.</summary>
    public required MetricsModel? Unrouted { get; init; }

    public required int RouteCount { get; init; }

    /// <summary>Routes (without the no-route bucket) with enough attempts to be ranked.</summary>
    public required int RankedRouteCount { get; init; }

    /// <summary>Ranked routes whose ASR is below <see cref="Threshold"/> (all of them, not only the listed worst ones).</summary>
    public required int BelowThresholdRouteCount { get; init; }

    /// <summary>Routes (without the no-route bucket) with fewer than <see cref="MinimumSample"/> attempts over the whole period.</summary>
    public required int SmallSampleRouteCount { get; init; }

    public required bool IsEmpty { get; init; }

    /// <summary>The CDR source's rule for "answered", e.g. "duration &gt; 0".</summary>
    public required string AnsweredRule { get; init; }

    /// <summary>ASR warning threshold, e.g. "30 %".</summary>
    public required string Threshold { get; init; }

    public required decimal ThresholdValue { get; init; }

    /// <summary>Fewest attempts to rank a route, e.g. "30".</summary>
    public required string MinimumSample { get; init; }

    public required long MinimumSampleValue { get; init; }

    public required long NegativeDurationRows { get; init; }

    /// <summary>The carrier's CDR rows (in any period) whose start time cannot be read; they are in no report.</summary>
    public required long UnreadableStartRows { get; init; }

    /// <summary>Rows in the period whose answer value is in neither configured list (counted as not answered).</summary>
    public required long UnlistedAnswerRows { get; init; }

    /// <summary>A few of those values, e.g. "'ANSWER', (null)"; empty when there are none.</summary>
    public required string UnlistedAnswerValues { get; init; }

    /// <summary>The carrier id has no row at all in the CDR table (a wrong id, not a quiet period).</summary>
    public required bool CarrierNotInTable { get; init; }

    /// <summary>Carrier ids in the table close to the asked one, e.g. "'acme', 'ACME1'"; empty when none.</summary>
    public required string SimilarCarriers { get; init; }

    public required IReadOnlyList<AttachmentModel> Attachments { get; init; }

    /// <summary>True when the mail carries <see cref="ArchiveReferences"/> instead of attachments.</summary>
    public required bool AttachmentsOmitted { get; init; }

    public required IReadOnlyList<ArchiveReference> ArchiveReferences { get; init; }

    /// <summary>The rendered report text blocks (title, notes, footer); null while they are themselves being rendered.</summary>
    public ReportTexts? Texts { get; init; }

    internal static TemplateModel Create(AsrPerRouteReport report, RenderOptions options, IReadOnlyList<Artifact> attachments, MailExtras extras, ReportTexts? texts)
    {
        var request = report.Request;
        var threshold = options.AsrWarningThresholdPct;
        var minimum = options.MinimumSample;
        var ranking = RouteRanking.Of(report, minimum);
        var ranked = ranking.WorstFirst;
        var best = ranking.Best;
        var unrouted = report.RouteTotals.FirstOrDefault(r => r.Route == AsrPerRouteReport.NoRoute);

        return new TemplateModel
        {
            Report = new ReportModel(AsrPerRouteReport.Title, AsrPerRouteReport.ReportType),
            Carrier = new CarrierModel(request.Carrier, request.CarrierName),
            Period = PeriodModel.Create(request.Period, request.Bucket),
            GeneratedAt = ReportFormat.UtcTime(report.GeneratedAt),
            Totals = MetricsModel.Create(report.Total),
            Change = ChangeModel.Create(report.Total, report.PreviousTotal),
            WorstRoutes = ranked.Take(WorstRouteCount).Select(r => RouteModel.Create(r, threshold, minimum)).ToList(),
            BestRoute = best is null ? null : RouteModel.Create(best, threshold, minimum),
            Unrouted = unrouted is { Metrics.Attempts: > 0 } ? MetricsModel.Create(unrouted.Metrics) : null,
            RouteCount = report.Routes.Count,
            RankedRouteCount = ranked.Count,
            BelowThresholdRouteCount = ranked.Count(r => r.Metrics.AsrPct < threshold),
            SmallSampleRouteCount = ranking.TooSmall,
            IsEmpty = report.IsEmpty,
            AnsweredRule = report.AnsweredRule,
            Threshold = threshold.ToString("0.##", CultureInfo.InvariantCulture) + " %",
            ThresholdValue = threshold,
            MinimumSample = ReportFormat.Count(minimum),
            MinimumSampleValue = minimum,
            NegativeDurationRows = report.NegativeDurationRows,
            UnreadableStartRows = report.Issues.UnreadableStartRows,
            UnlistedAnswerRows = report.Issues.UnlistedAnswerRows,
            UnlistedAnswerValues = ReportFormat.Quoted(report.Issues.UnlistedAnswerValues),
            CarrierNotInTable = report.Issues.CarrierNotInTable,
            SimilarCarriers = ReportFormat.Quoted(report.Issues.SimilarCarriers),
            // Only what the mail carries: a caller that passes every rendered file (the demo's mail page) must not list the manifest.
            Attachments = MailAttachments.Of(attachments).Select(AttachmentModel.Create).ToList(),
            AttachmentsOmitted = extras.AttachmentsOmitted,
            ArchiveReferences = extras.ArchiveReferences,
            Texts = texts,
        };
    }
}

/// <param name="Title">"ASR per Route".</param>
/// <param name="Type">"asr-per-route".</param>
public sealed record ReportModel(string Title, string Type);

public sealed record CarrierModel(string Id, string Name);

/// <param name="Expression">What was asked, e.g. "previous-month".</param>
/// <param name="Zone">IANA zone id the report is read in.</param>
/// <param name="LocalFrom">Start, local, with offset: "2026-10-01T00:00:00+01:00".</param>
/// <param name="LocalTo">End (excluded), local, with offset.</param>
/// <param name="UtcFrom">Exact start, UTC: "2026-09-30T23:00:00Z".</param>
/// <param name="UtcTo">Exact end (excluded), UTC.</param>
/// <param name="Label">For people: "2026-10-01 to 2026-10-31" for whole days (last day included), otherwise local times.</param>
/// <param name="Bucket">"hour", "day" or "month".</param>
public sealed record PeriodModel(string Expression, string Zone, string LocalFrom, string LocalTo, string UtcFrom, string UtcTo, string Label, string Bucket)
{
    internal static PeriodModel Create(ReportPeriod period, BucketSize bucket) => new(
        period.Expression,
        period.ZoneId,
        ReportFormat.LocalTime(period.LocalFrom),
        ReportFormat.LocalTime(period.LocalTo),
        ReportFormat.UtcTime(period.UtcFrom),
        ReportFormat.UtcTime(period.UtcTo),
        HumanLabel(period.LocalFrom, period.LocalTo),
        bucket.Name());

    private static string HumanLabel(DateTimeOffset from, DateTimeOffset to)
    {
        static string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string Minute(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (from.TimeOfDay == TimeSpan.Zero && to.TimeOfDay == TimeSpan.Zero)
        {
            // Whole local days: naming the last day included reads better than an excluded midnight.
            var last = to.Date.AddDays(-1);
            return last == from.Date ? Day(from.Date) : $"{Day(from.Date)} to {Day(last)}";
        }

        return $"{Minute(from)} to {Minute(to)}";
    }
}

/// <summary>One set of sums, formatted (<c>asr</c> "42.17 %", <c>acd</c> seconds "123.4", <c>minutes</c> "1,234.5") and raw (<c>*_value</c>).</summary>
public class MetricsModel
{
    public required string Attempts { get; init; }
    public required string Answered { get; init; }
    public required string Asr { get; init; }
    public required string Acd { get; init; }
    public required string Minutes { get; init; }
    public required long AttemptsValue { get; init; }
    public required long AnsweredValue { get; init; }
    public required decimal? AsrValue { get; init; }
    public required decimal? AcdValue { get; init; }
    public required decimal MinutesValue { get; init; }
    public required decimal AnsweredSeconds { get; init; }

    internal static MetricsModel Create(Metrics m) => new()
    {
        Attempts = ReportFormat.Count(m.Attempts),
        Answered = ReportFormat.Count(m.Answered),
        Asr = ReportFormat.Percent(m.AsrPct),
        Acd = ReportFormat.Number(m.AcdSec, 1),
        Minutes = ReportFormat.Number(m.Minutes, 1),
        AttemptsValue = m.Attempts,
        AnsweredValue = m.Answered,
        AsrValue = m.AsrPct,
        AcdValue = m.AcdSec,
        MinutesValue = m.Minutes,
        AnsweredSeconds = m.AnsweredSeconds,
    };
}

/// <summary>A route's totals over the period.</summary>
public sealed class RouteModel : MetricsModel
{
    public required string Name { get; init; }

    /// <summary>ASR below the warning threshold.</summary>
    public required bool BelowThreshold { get; init; }

    /// <summary>Fewer attempts than the minimum sample.</summary>
    public required bool SmallSample { get; init; }

    internal static RouteModel Create(RouteTotal route, decimal threshold, long minimumSample)
    {
        var m = route.Metrics;
        return new RouteModel
        {
            Name = route.Route,
            BelowThreshold = m.AsrPct < threshold,
            SmallSample = m.Attempts < minimumSample,
            Attempts = ReportFormat.Count(m.Attempts),
            Answered = ReportFormat.Count(m.Answered),
            Asr = ReportFormat.Percent(m.AsrPct),
            Acd = ReportFormat.Number(m.AcdSec, 1),
            Minutes = ReportFormat.Number(m.Minutes, 1),
            AttemptsValue = m.Attempts,
            AnsweredValue = m.Answered,
            AsrValue = m.AsrPct,
            AcdValue = m.AcdSec,
            MinutesValue = m.Minutes,
            AnsweredSeconds = m.AnsweredSeconds,
        };
    }
}

/// <summary>
/// Change against the previous period: counts and minutes as a relative change ("+12.5 %"), ASR in percentage points
/// ("-1.20 pp"), ACD in seconds ("+3.4 s"). "—" (raw null) where the previous period has no denominator.
/// </summary>
public sealed record ChangeModel(
    bool Available,
    MetricsModel? Previous,
    string Attempts,
    string Answered,
    string Asr,
    string Acd,
    string Minutes,
    decimal? AttemptsPct,
    decimal? AnsweredPct,
    decimal? AsrPoints,
    decimal? AcdSeconds,
    decimal? MinutesPct)
{
    internal static ChangeModel Create(Metrics current, Metrics? previous)
    {
        if (previous is not { } p)
        {
            return new ChangeModel(false, null, ReportFormat.Empty, ReportFormat.Empty, ReportFormat.Empty, ReportFormat.Empty, ReportFormat.Empty, null, null, null, null, null);
        }

        static decimal? Relative(decimal now, decimal before) => before == 0 ? null : (now - before) * 100m / before;
        static decimal? Difference(decimal? now, decimal? before) => now is { } n && before is { } b ? n - b : null;
        var attempts = Relative(current.Attempts, p.Attempts);
        var answered = Relative(current.Answered, p.Answered);
        var asr = Difference(current.AsrPct, p.AsrPct);
        var acd = Difference(current.AcdSec, p.AcdSec);
        var minutes = Relative(current.Minutes, p.Minutes);
        return new ChangeModel(
            true,
            MetricsModel.Create(p),
            Signed(attempts, 1, " %"),
            Signed(answered, 1, " %"),
            Signed(asr, 2, " pp"),
            Signed(acd, 1, " s"),
            Signed(minutes, 1, " %"),
            attempts,
            answered,
            asr,
            acd,
            minutes);
    }

    private static string Signed(decimal? value, int decimals, string unit)
    {
        if (value is not { } v)
        {
            return ReportFormat.Empty;
        }

        var rounded = Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        return (rounded > 0 ? "+" : "") + ReportFormat.Number(rounded, decimals) + unit;
    }
}

/// <param name="Size">For people: "71.3 KB".</param>
public sealed record AttachmentModel(string Name, string Format, string Size, long Bytes)
{
    internal static AttachmentModel Create(Artifact a) => new(a.FileName, a.Format, HumanSize(a.Length), a.Length);

    private static string HumanSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => ReportFormat.Number(bytes / 1024m, 1) + " KB",
        _ => ReportFormat.Number(bytes / (1024m * 1024m), 1) + " MB",
    };
}
