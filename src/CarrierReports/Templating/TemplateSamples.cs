using CarrierReports.Cdr;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Templating;

/// <summary>
/// Made-up reports that take every branch the default templates have (traffic and none, previous period or not,
/// unrouted and small-sample routes, negative durations, attachments listed or replaced), for <see cref="TemplateRenderer.Validate"/>.
/// </summary>
internal static class TemplateSamples
{
    public static IEnumerable<(AsrPerRouteReport Report, IReadOnlyList<Artifact> Attachments, MailExtras Extras)> Cases()
    {
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(2);
        PartialSum[] sums =
        [
            new(0, "sample-route-a", 400, 220, 33_000m),
            new(1, "sample-route-a", 380, 200, 30_500m),
            new(0, "sample-route-b", 300, 60, 4_800m),
            new(1, "sample-route-c", 5, 1, 40m),
            new(0, null, 12, 0, 0m),
        ];
        var busy = Report(from, to, sums, negativeRows: 3);
        var previous = new Metrics(1_000, 450, 60_000m);
        IReadOnlyList<Artifact> files =
        [
            new("csv", "sample.csv", "text/csv", new byte[2_048]),
            new("manifest", "sample.manifest.json", "application/json", new byte[512]),
        ];
        var omitted = new MailExtras
        {
            AttachmentsOmitted = true,
            ArchiveReferences = [new ArchiveReference("sample.csv", "archive/2026/01/sample.csv")],
        };

        yield return (busy with { PreviousTotal = previous }, files, MailExtras.None);
        yield return (busy with { Issues = new CdrDataIssues(4, 9, ["ANSWER", "(null)"], false, []) }, files, omitted);
        yield return (Report(from, to, [], negativeRows: 0) with { PreviousTotal = previous }, files, MailExtras.None);
        yield return (Report(from, to, [], negativeRows: 0) with { Issues = CdrDataIssues.None with { CarrierNotInTable = true, SimilarCarriers = ["o", "00"] } }, [], MailExtras.None);
        yield return (Report(from, to, [], negativeRows: 0) with { Issues = CdrDataIssues.None with { CarrierNotInTable = true } }, [], MailExtras.None);
        yield return (Report(from, to, [], negativeRows: 0), [], MailExtras.None);
    }

    private static AsrPerRouteReport Report(DateTimeOffset from, DateTimeOffset to, IEnumerable<PartialSum> sums, long negativeRows)
    {
        var period = new ReportPeriod("sample", TimeZoneInfo.Utc, from, to);
        var request = new AsrPerRouteRequest("0", "Sample Carrier", period, BucketSize.Day);
        var plan = BucketPlan.Create(period.Zone, request.Bucket, from, to);
        return AsrPerRouteReport.Build(request, plan, sums, negativeRows, "duration > 0", to);
    }
}
