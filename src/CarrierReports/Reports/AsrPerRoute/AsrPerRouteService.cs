using CarrierReports.Cdr;
using CarrierReports.Time;
using Microsoft.Extensions.Options;

namespace CarrierReports.Reports.AsrPerRoute;

/// <summary>Produces an ASR per Route report: plans the buckets, lets the CDR source sum, fills the grid.</summary>
public sealed class AsrPerRouteService(ICdrSource source, TimeProvider time, IOptions<ReportLimits>? limits = null)
{
    private readonly ReportLimits _limits = limits?.Value ?? ReportLimits.Default;

    /// <summary>The report with <see cref="AsrPerRouteReport.PreviousTotal"/>, for outputs that compare with the previous period.</summary>
    public Task<AsrPerRouteReport> RunAsync(AsrPerRouteRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, includePrevious: true, cancellationToken);

    /// <param name="includePrevious">
    /// Also sum the previous period of equal length (a second query). Only the PDF, the workbook and the mail show the
    /// change against it; a CSV-only report does not need it.
    /// </param>
    public async Task<AsrPerRouteReport> RunAsync(AsrPerRouteRequest request, bool includePrevious, CancellationToken cancellationToken)
    {
        var period = request.Period;
        var plan = BucketPlan.Create(period.Zone, request.Bucket, period.UtcFrom, period.UtcTo);
        _limits.Check(1, plan.Buckets.Count); // a grid of one route must fit before anything is queried
        var query = new CdrQuery(request.Carrier, period.UtcFrom, period.UtcTo, plan.Starts()) { Limits = _limits };
        var aggregate = await source.AggregateAsync(query, cancellationToken);
        Telemetry.ReportMetrics.Aggregation();
        var report = AsrPerRouteReport.Build(request, plan, aggregate.Rows, aggregate.NegativeDurationRows, source.AnsweredRule, request.GeneratedAt ?? time.GetUtcNow(), _limits)
            with { Issues = aggregate.Issues };
        if (!includePrevious)
        {
            return report;
        }

        // One bucket spanning the previous period of equal length: only its totals are needed.
        var previous = period.Previous();
        var prior = await source.AggregateAsync(new CdrQuery(request.Carrier, previous.UtcFrom, previous.UtcTo, [previous.UtcFrom]) { Limits = _limits }, cancellationToken);
        Telemetry.ReportMetrics.Aggregation();
        var previousTotal = prior.Rows.Aggregate(Metrics.Zero, (acc, r) => acc + new Metrics(r.Attempts, r.Answered, r.AnsweredSeconds));
        return report with { PreviousTotal = previousTotal };
    }
}
