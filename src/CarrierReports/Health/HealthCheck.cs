using CarrierReports.Rendering;
using CarrierReports.Runs;
using CarrierReports.Scheduling;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Microsoft.Extensions.Options;

namespace CarrierReports.Health;

/// <summary>
/// Looks at the shared state every node writes (the service database, Quartz's cluster tables, the run ledger) and
/// says whether the service is doing its job: database reachable, at least one node checked in recently, no trigger
/// in error, no run stuck, no subscription overdue, no recent period that failed for good. Read-only, so it can run
/// anywhere that reaches the database, including on a machine that serves nothing.
/// </summary>
public sealed class HealthCheck(
    ServiceDatabase database,
    RunLedger ledger,
    LedgerHealthQueries queries,
    QuartzTables quartzTables,
    SubscriptionCatalog catalog,
    IOptions<SchedulingOptions> scheduling,
    IOptions<RunOptions> runs,
    IOptions<HealthOptions> options,
    TimeProvider time,
    IEnumerable<IHealthContributor> contributors)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var items = new List<HealthItem>();
        var started = time.GetTimestamp();
        try
        {
            await database.PingAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            items.Add(new HealthItem("database", $"unreachable ({database.Options.Provider}): {ex.Message}", true));
            return new HealthReport(now, items, [], null, null);
        }

        items.Add(new HealthItem("database", $"reachable ({database.Options.Provider}), {(long)time.GetElapsedTime(started).TotalMilliseconds} ms", false));
        var quartz = await quartzTables.ExistAsync(cancellationToken);
        var members = quartz ? await MembersAsync(now, cancellationToken) : [];
        items.Add(ClusterItem(members, quartz));
        if (quartz)
        {
            var t = await quartzTables.TriggerCountsAsync(cancellationToken);
            items.Add(new HealthItem("scheduler", $"{t.Total} trigger(s), {t.Blocked} waiting for a running job, {t.Error} in error" + (t.Error > 0 ? " (Quartz could not run their job; see the serve log)" : ""), t.Error > 0));
        }

        items.Add(await RunningItemAsync(now, cancellationToken));

        // Reused for a few seconds, as the scheduler's lookups are: the overview and the check read the same list.
        var subscriptions = (await catalog.LoadRecentAsync(cancellationToken)).Where(s => s.Enabled).ToList();
        var overdue = (await OverdueListAsync(subscriptions, quartz, now, cancellationToken)).FirstOrDefault();
        Telemetry.ServiceMetrics.OverdueObserved(overdue is not null);
        items.Add(overdue is null
            ? new HealthItem("overdue", $"none of {subscriptions.Count} enabled subscriptions (threshold {options.Value.OverdueAfter})", false)
            : new HealthItem("overdue", $"{overdue.SubscriptionId}: fire time {ReportFormat.UtcTime(overdue.FireTime)} for {ReportFormat.UtcTime(overdue.PeriodFrom)}..{ReportFormat.UtcTime(overdue.PeriodTo)} was due by {ReportFormat.UtcTime(overdue.DueBy)} and has no run in the ledger (oldest overdue)", true));

        foreach (var contributor in contributors)
        {
            items.Add(await contributor.CheckAsync(now, cancellationToken));
        }
        var (lastFailed, final) = await LastFailedAsync(now, cancellationToken);
        items.Add(lastFailed is null
            ? new HealthItem("failures", "no failed run", false)
            : new HealthItem("failures", $"last failed run {lastFailed.RunId} of {lastFailed.SubscriptionId} (attempt {lastFailed.Attempt}) on {lastFailed.Node} at {ReportFormat.UtcTime(lastFailed.FinishedAt ?? lastFailed.StartedAt)}: {lastFailed.Error}" +
                (final ? " — final: the period was not delivered since" : " — not final (retried or delivered since)"), final));
        return new HealthReport(now, items, members, overdue, lastFailed);
    }

    private HealthItem ClusterItem(IReadOnlyList<ClusterMember> members, bool quartz)
    {
        if (!database.IsPostgres)
        {
            return new HealthItem("cluster", "single node (SQLite service database: the scheduler state is in the serving process, not shared)", false);
        }

        if (!quartz)
        {
            return new HealthItem("cluster", "no node has ever started 'serve' on this database (no Quartz tables)", true);
        }

        string Show(ClusterMember m) => $"{m.Name} (checked in {Math.Max(0, (time.GetUtcNow() - m.LastCheckIn).TotalSeconds):0.#} s ago)";
        var alive = members.Where(m => m.Alive).ToList();
        var dead = members.Where(m => !m.Alive).ToList();
        var detail = $"{alive.Count} node(s) alive: {(alive.Count == 0 ? "none" : string.Join(", ", alive.Select(Show)))}" +
                     (dead.Count > 0 ? $"; silent: {string.Join(", ", dead.Select(Show))}" : "");
        return new HealthItem("cluster", detail, alive.Count == 0);
    }

    /// <summary>Members of the cluster; alive means checked in within its interval plus the misfire threshold (when peers would recover its work).</summary>
    private async Task<IReadOnlyList<ClusterMember>> MembersAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await quartzTables.MembersAsync(cancellationToken)).Select(r =>
        {
            var last = QuartzInstant(r.LastCheckinTime);
            var interval = TimeSpan.FromMilliseconds(r.CheckinInterval);
            return new ClusterMember(r.InstanceName, last, interval, now - last <= interval + scheduling.Value.ClusterCheckinMisfireThreshold);
        })];

    /// <summary>Runs marked running whose heartbeat is older than twice the stale limit: no live node is resolving them.</summary>
    private async Task<HealthItem> RunningItemAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var beats = await queries.RunningHeartbeatsAsync(cancellationToken);
        var stuckAfter = runs.Value.StaleRunAfter * 2;
        var stuck = beats.Count(b => now - b > stuckAfter);
        return new HealthItem("runs", $"{beats.Count} running, {stuck} stuck (no heartbeat for over {stuckAfter})", stuck > 0);
    }

    /// <summary>
    /// For each subscription, its latest fire time that should have produced a run by now (fire + settle delay +
    /// threshold); overdue when the ledger has no run for that period. Fire times from before the subscription was
    /// scheduled (its Quartz trigger's start, or its first run) do not count. The ledger and the triggers are asked for
    /// all subscriptions at once (a few statements, not three per subscription).
    /// </summary>
    private async Task<IReadOnlyList<OverdueSubscription>> OverdueListAsync(IReadOnlyList<Subscription> subscriptions, bool quartz, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<(Subscription S, DateTimeOffset Fire, ReportPeriod Period)>();
        foreach (var s in subscriptions)
        {
            if (s.LatestFireAtOrBefore(now - s.SettleDelay - options.Value.OverdueAfter) is { } fire)
            {
                due.Add((s, fire, s.PeriodFor(fire)));
            }
        }

        var states = await queries.PeriodStatesAsync([.. due.Select(d => (d.S.Id, d.Period.UtcFrom, d.Period.UtcTo))], cancellationToken);
        var triggers = quartz ? await quartzTables.TriggerStartsAsync(SubscriptionJob.Group, cancellationToken) : new Dictionary<string, long>();
        var overdue = new List<OverdueSubscription>();
        foreach (var (s, fire, period) in due)
        {
            var state = states.GetValueOrDefault(s.Id);
            var since = ScheduledSince(state?.FirstStarted, triggers, s.Id);
            if (since is null || fire < since || state?.HasRun == true)
            {
                continue;
            }

            overdue.Add(new OverdueSubscription(s.Id, fire, fire + s.SettleDelay, period.UtcFrom, period.UtcTo));
        }

        // Stable: among equal due times the first in the list stays first, as the oldest always was.
        return [.. overdue.OrderBy(o => o.DueBy)];
    }

    /// <summary>
    /// Every enabled subscription of <paramref name="subscriptions"/> that this check counts as overdue now, oldest due
    /// first: the console's overdue list, so it shows exactly what the health panel counts.
    /// </summary>
    public async Task<IReadOnlyList<OverdueSubscription>> OverdueAsync(IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken) =>
        await OverdueListAsync([.. subscriptions.Where(s => s.Enabled)], await quartzTables.ExistAsync(cancellationToken), time.GetUtcNow(), cancellationToken);

    /// <summary>When the subscription started being scheduled: its cron trigger's start (PostgreSQL) or its first run, whichever is earlier.</summary>
    private static DateTimeOffset? ScheduledSince(DateTimeOffset? firstStarted, IReadOnlyDictionary<string, long> triggers, string subscriptionId)
    {
        var since = firstStarted;
        if (triggers.TryGetValue(SubscriptionScheduler.TriggerKeyFor(subscriptionId).Name, out var start))
        {
            var t = QuartzInstant(start);
            since = since is null || t < since ? t : since;
        }

        return since;
    }

    /// <summary>The latest failed run, and whether it is final: all attempts used and no run of its period succeeded since, within the window.</summary>
    private async Task<(RunRecord? Run, bool Final)> LastFailedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = await ledger.ListAsync(null, RunStatus.Failed, 1, cancellationToken);
        if (failed.Count == 0)
        {
            return (null, false);
        }

        var run = failed[0];
        var healed = await queries.HasHealedAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken);
        var final = !healed && run.Attempt >= runs.Value.MaxRunAttempts && now - (run.FinishedAt ?? run.StartedAt) <= options.Value.FailedWithin;
        return (run, final);
    }

    /// <summary>Quartz stores instants as .NET UTC ticks; accept Unix milliseconds too, in case a store writes those.</summary>
    private static DateTimeOffset QuartzInstant(long value) =>
        value > 100_000_000_000_000L ? new DateTimeOffset(value, TimeSpan.Zero) : DateTimeOffset.FromUnixTimeMilliseconds(value);
}
