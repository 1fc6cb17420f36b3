using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The best and worst routes by ASR over the whole period, among routes with enough attempts for the ratio to mean
/// something. Calls without a route (<see cref="AsrPerRouteReport.NoRoute"/>) are never ranked: they are not a route
/// anyone can fix or buy more of.
/// </summary>
/// <param name="Best">Highest ASR; null when no route qualifies.</param>
/// <param name="Worst">Lowest ASR; null when no route qualifies.</param>
/// <param name="Ranked">Routes that met the minimum sample.</param>
/// <param name="TooSmall">Routes with traffic that did not.</param>
public sealed record RouteRanking(RouteTotal? Best, RouteTotal? Worst, int Ranked, int TooSmall)
{
    /// <summary>Ranks the report's route totals. Ties go to the route with more attempts (it matters more), then by name.</summary>
    public static RouteRanking Of(AsrPerRouteReport report, long minimumSample)
    {
        var candidates = report.RouteTotals.Where(r => r.Route != AsrPerRouteReport.NoRoute && r.Metrics.Attempts > 0).ToList();
        var ranked = candidates.Where(r => r.Metrics.Attempts >= minimumSample).ToList();
        if (ranked.Count == 0)
        {
            return new RouteRanking(null, null, 0, candidates.Count);
        }

        var best = ranked.OrderByDescending(r => r.Metrics.AsrPct).ThenByDescending(r => r.Metrics.Attempts).ThenBy(r => r.Route, StringComparer.Ordinal).First();
        var worst = ranked.OrderBy(r => r.Metrics.AsrPct).ThenByDescending(r => r.Metrics.Attempts).ThenBy(r => r.Route, StringComparer.Ordinal).First();
        return new RouteRanking(best, worst, ranked.Count, candidates.Count - ranked.Count);
    }
}
