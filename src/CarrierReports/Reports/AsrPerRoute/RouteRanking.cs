namespace CarrierReports.Reports.AsrPerRoute;

/// <summary>
/// The routes ranked by ASR over the whole period, among routes with enough attempts for the ratio to mean something.
/// Calls without a route (<see cref="AsrPerRouteReport.NoRoute"/>) are never ranked: they are not a route anyone can
/// fix or buy more of. Every output (PDF, XLSX, mail, console) names best and worst routes from this one ranking.
/// </summary>
/// <param name="WorstFirst">Ranked routes, lowest ASR first; ties go to the route with more attempts (it matters more), then by name.</param>
/// <param name="TooSmall">Routes with traffic below the minimum sample.</param>
public sealed record RouteRanking(IReadOnlyList<RouteTotal> WorstFirst, int TooSmall)
{
    /// <summary>Lowest ASR; null when no route qualifies.</summary>
    public RouteTotal? Worst => WorstFirst.Count > 0 ? WorstFirst[0] : null;

    /// <summary>Highest ASR; null when no route qualifies.</summary>
    public RouteTotal? Best => WorstFirst.Count > 0 ? BestFirst.First() : null;

    /// <summary>Ranked routes, highest ASR first, with the same tie rules.</summary>
    public IEnumerable<RouteTotal> BestFirst =>
        WorstFirst.OrderByDescending(r => r.Metrics.AsrPct).ThenByDescending(r => r.Metrics.Attempts).ThenBy(r => r.Route, StringComparer.Ordinal);

    public int Ranked => WorstFirst.Count;

    public static RouteRanking Of(AsrPerRouteReport report, long minimumSample)
    {
        var candidates = report.RouteTotals.Where(r => r.Route != AsrPerRouteReport.NoRoute && r.Metrics.Attempts > 0).ToList();
        var ranked = candidates.Where(r => r.Metrics.Attempts >= minimumSample)
            .OrderBy(r => r.Metrics.AsrPct)
            .ThenByDescending(r => r.Metrics.Attempts)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .ToList();
        return new RouteRanking(ranked, candidates.Count - ranked.Count);
    }
}
