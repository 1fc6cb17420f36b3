using System.Diagnostics.Metrics;

namespace CarrierReports.Telemetry;

/// <summary>
/// The service's own metrics (meter <see cref="MeterName"/>), exported at <c>/metrics</c> of <c>serve</c> in Prometheus
/// format. Static, like the framework's own meters: the runner and the mailer record without a dependency, and a
/// process without a metrics listener (every CLI command) pays nearly nothing.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "CarrierReports";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("carrierreports.runs", "{run}", "Runs completed, by outcome");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("carrierreports.run.duration", "s", "How long runs took, by outcome");

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("carrierreports.deliveries", "{delivery}", "Per-recipient deliveries recorded, by outcome");

    private static readonly Counter<long> SmtpAttempts = Meter.CreateCounter<long>("carrierreports.smtp.attempts", "{attempt}", "SMTP send attempts, by result (ok, transient, permanent)");

    private static int _overdue = -1;

    /// <summary>Read at each scrape: no query runs for it; a health check (<c>/health/ready</c>, <c>health</c>) updates it.</summary>
    private static readonly ObservableGauge<int> Overdue = Meter.CreateObservableGauge("carrierreports.health.overdue", ObserveOverdue, "{subscription}",
        "1 when the last health check found an enabled subscription overdue (a fire time with no run), else 0; absent before the first check");

    /// <summary>What the last health check found (see <see cref="Overdue"/>).</summary>
    public static void OverdueObserved(bool any) => Volatile.Write(ref _overdue, any ? 1 : 0);

    private static IEnumerable<Measurement<int>> ObserveOverdue()
    {
        var value = Volatile.Read(ref _overdue);
        return value < 0 ? [] : [new Measurement<int>(value)];
    }

    /// <param name="outcome">The run status name (<c>succeeded</c>, <c>failed</c>, <c>skipped-empty</c>).</param>
    public static void RunCompleted(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Runs.Add(1, tag);
        RunDuration.Record(Math.Max(0, duration.TotalSeconds), tag);
    }

    /// <param name="outcome"><c>delivered</c> or <c>failed</c>.</param>
    public static void DeliveryRecorded(string outcome) => Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="result"><c>ok</c>, <c>transient</c> (will be retried) or <c>permanent</c>.</param>
    public static void SmtpAttempt(string result) => SmtpAttempts.Add(1, new KeyValuePair<string, object?>("result", result));
}
