using System.Diagnostics.Metrics;

namespace CarrierReports.Telemetry;

/// <summary>
/// How often reports are computed and how often a scheduled run reused one (render once, send many). A meter of the
/// same name as <see cref="ServiceMetrics"/>, so <c>/metrics</c> exports these too.
/// </summary>
public static class ReportMetrics
{
    private static readonly Meter Meter = new(ServiceMetrics.MeterName);

    private static readonly Counter<long> Aggregations = Meter.CreateCounter<long>("carrierreports.cdr.aggregations", "{query}",
        "Aggregation queries sent to the CDR source for reports (the report period, and the previous period for the comparison)");

    private static readonly Counter<long> SharedRuns = Meter.CreateCounter<long>("carrierreports.reports.shared", "{run}",
        "Scheduled runs, by whether they rendered the report (rendered) or reused one rendered on this node for the same key (reused)");

    public static void Aggregation() => Aggregations.Add(1);

    /// <param name="reused">True when the run took a report another run of this node had rendered.</param>
    public static void SharedRun(bool reused) => SharedRuns.Add(1, new KeyValuePair<string, object?>("result", reused ? "reused" : "rendered"));
}
