using CarrierReports.Time;

namespace CarrierReports.Reports.AsrPerRoute;

/// <summary>What was asked: one carrier, one period, one bucket size.</summary>
/// <param name="CarrierName">Display name; the id when no name is configured.</param>
public sealed record AsrPerRouteRequest(string Carrier, string CarrierName, ReportPeriod Period, BucketSize Bucket)
{
    /// <summary>
    /// The time the report states as generated (and stamps into PDF and XLSX metadata); null means now. A caller that
    /// repeats a report (a run of the same period) passes its own fixed time so identical data gives identical files.
    /// </summary>
    public DateTimeOffset? GeneratedAt { get; init; }
}

/// <summary>One (bucket, route) cell of the report.</summary>
public sealed record AsrRow(Bucket Bucket, string Route, Metrics Metrics);

/// <summary>A route's totals over the whole period.</summary>
public sealed record RouteTotal(string Route, Metrics Metrics);

/// <summary>
/// The ASR per Route report: every route with traffic anywhere in the period appears in every bucket (a bucket without
/// attempts is a row with 0 attempts and empty ratios, so an outage shows as a row, not a gap).
/// </summary>
public sealed record AsrPerRouteReport(
    AsrPerRouteRequest Request,
    IReadOnlyList<Bucket> Buckets,
    IReadOnlyList<string> Routes,
    IReadOnlyList<AsrRow> Rows,
    IReadOnlyList<RouteTotal> RouteTotals,
    Metrics Total,
    long NegativeDurationRows,
    string AnsweredRule,
    DateTimeOffset GeneratedAt)
{
    /// <summary>Carrier totals of the period of equal length just before this one; null when not computed.</summary>
    public Metrics? PreviousTotal { get; init; }

    /// <summary>CDR rows that could not be taken at face value (unreadable start, unlisted answer value, unknown carrier).</summary>
    public Cdr.CdrDataIssues Issues { get; init; } = Cdr.CdrDataIssues.None;

    public const string ReportType = "asr-per-route";
    public const string Title = "ASR per Route";

    /// <summary>The label used for CDRs that have no route.</summary>
    public const string NoRoute = Cdr.PartialSum.NoRoute;

    public bool IsEmpty => Total.Attempts == 0;

    /// <summary>Builds the full bucket × route grid from the database's partial sums.</summary>
    /// <exception cref="InputException">The grid would exceed <paramref name="limits"/> (default <see cref="ReportLimits.Default"/>); checked before it is allocated.</exception>
    public static AsrPerRouteReport Build(AsrPerRouteRequest request, BucketPlan plan, IEnumerable<Cdr.PartialSum> sums, long negativeDurationRows, string answeredRule, DateTimeOffset generatedAt, ReportLimits? limits = null)
    {
        var cells = new Dictionary<(int, string), Metrics>();
        foreach (var s in sums)
        {
            if (s.Bucket < 0 || s.Bucket >= plan.Buckets.Count)
            {
                throw new InvalidOperationException($"The CDR source returned bucket {s.Bucket}, outside 0..{plan.Buckets.Count - 1}.");
            }

            var key = (s.Bucket, s.Route ?? NoRoute);
            cells[key] = cells.GetValueOrDefault(key) + new Metrics(s.Attempts, s.Answered, s.AnsweredSeconds);
        }

        var routes = cells.Where(c => c.Value.Attempts > 0).Select(c => c.Key.Item2).Distinct().Order(StringComparer.Ordinal).ToList();
        (limits ?? ReportLimits.Default).Check(routes.Count, plan.Buckets.Count);
        var rows = new List<AsrRow>(checked(plan.Buckets.Count * routes.Count));
        var totals = routes.ToDictionary(r => r, _ => Metrics.Zero, StringComparer.Ordinal);
        foreach (var bucket in plan.Buckets)
        {
            foreach (var route in routes)
            {
                var m = cells.GetValueOrDefault((bucket.Index, route));
                rows.Add(new AsrRow(bucket, route, m));
                totals[route] += m;
            }
        }

        var routeTotals = routes.Select(r => new RouteTotal(r, totals[r])).ToList();
        var total = routeTotals.Aggregate(Metrics.Zero, (acc, r) => acc + r.Metrics);
        return new AsrPerRouteReport(request, plan.Buckets, routes, rows, routeTotals, total, negativeDurationRows, answeredRule, generatedAt);
    }
}
