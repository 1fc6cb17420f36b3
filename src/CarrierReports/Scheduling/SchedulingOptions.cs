using CarrierReports.Settings;

namespace CarrierReports.Scheduling;

/// <summary>How <c>serve</c> schedules subscriptions. Section <c>Scheduling</c>; the run settings of that section are <see cref="Runs.RunOptions"/>.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>Runs executed at once on this node (Quartz thread pool). Default 4.</summary>
    [SettingRange(1, 256)]
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>After downtime, at most this many missed periods per subscription are run (the most recent ones, oldest first). Default 24.</summary>
    [SettingRange(0, 10_000)]
    public int MaxCatchUpRuns { get; set; } = 24;

    /// <summary>Wait before retrying a failed run; doubles with every attempt. Default 2 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Quartz cluster check-in interval (PostgreSQL store only). Default 7.5 seconds.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>A cluster member silent for this long is considered dead and its runs recovered. Default 20 seconds.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long Quartz waits before trying the database again after a failure (e.g. a PostgreSQL restart). Default 15 seconds.</summary>
    public TimeSpan DatabaseRetryInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How late a fire may start and still run for its own fire time. Quartz skips a trigger that is later than this as
    /// "misfired"; under load (many subscriptions due at once, few workers) runs wait in the queue, and with Quartz's
    /// default of 60 s some would be skipped without a trace. Default 1 hour.
    /// </summary>
    public TimeSpan LateFireTolerance { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often a running node reads the subscriptions again and follows changes: a new cadence or zone reschedules the
    /// trigger, a disabled or deleted subscription is unscheduled, a new one scheduled. Default 30 seconds.
    /// </summary>
    public TimeSpan SubscriptionRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
