using System.Data.Common;
using CarrierReports.Rendering;
using CarrierReports.Runs;
using CarrierReports.Scheduling;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Microsoft.Extensions.Options;
using CronExpression = Quartz.CronExpression;

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
    SubscriptionCatalog catalog,
    IOptions<SchedulingOptions> scheduling,
    IOptions<HealthOptions> options,
    TimeProvider time)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var items = new List<HealthItem>();
        DbConnection connection;
        var started = time.GetTimestamp();
        try
        {
            connection = await database.OpenAsync(cancellationToken);
            await using var ping = connection.CreateCommand();
            ping.CommandText = "SELECT 1";
            await ping.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            items.Add(new HealthItem("database", $"unreachable ({database.Options.Provider}): {ex.Message}", true));
            return new HealthReport(now, items, [], null, null);
        }

        await using (connection)
        {
            items.Add(new HealthItem("database", $"reachable ({database.Options.Provider}), {(long)time.GetElapsedTime(started).TotalMilliseconds} ms", false));
            var quartz = database.IsPostgres && await HasQuartzTablesAsync(connection, cancellationToken);
            var members = quartz ? await MembersAsync(connection, now, cancellationToken) : [];
            items.Add(ClusterItem(members, quartz));
            if (quartz)
            {
                items.Add(await TriggersItemAsync(connection, cancellationToken));
            }

            items.Add(await RunningItemAsync(connection, now, cancellationToken));

            var subscriptions = (await catalog.LoadAsync(cancellationToken)).Where(s => s.Enabled).ToList();
            var overdue = await OldestOverdueAsync(connection, subscriptions, quartz, now, cancellationToken);
            items.Add(overdue is null
                ? new HealthItem("overdue", $"none of {subscriptions.Count} enabled subscriptions (threshold {options.Value.OverdueAfter})", false)
                : new HealthItem("overdue", $"{overdue.SubscriptionId}: fire time {ReportFormat.UtcTime(overdue.FireTime)} for {ReportFormat.UtcTime(overdue.PeriodFrom)}..{ReportFormat.UtcTime(overdue.PeriodTo)} was due by {ReportFormat.UtcTime(overdue.DueBy)} and has no run in the ledger (oldest overdue)", true));

            var (lastFailed, final) = await LastFailedAsync(connection, now, cancellationToken);
            items.Add(lastFailed is null
                ? new HealthItem("failures", "no failed run", false)
                : new HealthItem("failures", $"last failed run {lastFailed.RunId} of {lastFailed.SubscriptionId} (attempt {lastFailed.Attempt}) on {lastFailed.Node} at {ReportFormat.UtcTime(lastFailed.FinishedAt ?? lastFailed.StartedAt)}: {lastFailed.Error}" +
                    (final ? " — final: the period was not delivered since" : " — not final (retried or delivered since)"), final));
            return new HealthReport(now, items, members, overdue, lastFailed);
        }
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

    private static async Task<bool> HasQuartzTablesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL AND to_regclass('qrtz_triggers') IS NOT NULL";
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Members of the cluster; alive means checked in within its interval plus the misfire threshold (when peers would recover its work).</summary>
    private async Task<IReadOnlyList<ClusterMember>> MembersAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state ORDER BY instance_name";
        var list = new List<ClusterMember>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var last = QuartzInstant(r.GetInt64(1));
            var interval = TimeSpan.FromMilliseconds(r.GetInt64(2));
            list.Add(new ClusterMember(r.GetString(0), last, interval, now - last <= interval + scheduling.Value.ClusterCheckinMisfireThreshold));
        }

        return list;
    }

    private static async Task<HealthItem> TriggersItemAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(*) FILTER (WHERE trigger_state = 'ERROR'), count(*) FILTER (WHERE trigger_state = 'BLOCKED') FROM qrtz_triggers";
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        var (all, error, blocked) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        return new HealthItem("scheduler", $"{all} trigger(s), {blocked} waiting for a running job, {error} in error" + (error > 0 ? " (Quartz could not run their job; see the serve log)" : ""), error > 0);
    }

    /// <summary>Runs marked running whose heartbeat is older than twice the stale limit: no live node is resolving them.</summary>
    private async Task<HealthItem> RunningItemAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT heartbeat_at FROM cr_runs WHERE status = @running";
        ServiceDatabase.Add(cmd, "running", RunStatus.Running);
        var beats = new List<DateTimeOffset>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                beats.Add(ServiceDatabase.ReadInstant(r, 0));
            }
        }

        var stuckAfter = scheduling.Value.StaleRunAfter * 2;
        var stuck = beats.Count(b => now - b > stuckAfter);
        return new HealthItem("runs", $"{beats.Count} running, {stuck} stuck (no heartbeat for over {stuckAfter})", stuck > 0);
    }

    /// <summary>
    /// For each subscription, its latest fire time that should have produced a run by now (fire + settle delay +
    /// threshold); overdue when the ledger has no run for that period. Fire times from before the subscription was
    /// scheduled (its Quartz trigger's start, or its first run) do not count.
    /// </summary>
    private async Task<OverdueSubscription?> OldestOverdueAsync(DbConnection connection, IReadOnlyList<Subscription> subscriptions, bool quartz, DateTimeOffset now, CancellationToken cancellationToken)
    {
        OverdueSubscription? oldest = null;
        foreach (var s in subscriptions)
        {
            var zone = Zones.Find(s.TimeZone, "TimeZone");
            var cutoff = now - s.SettleDelay - options.Value.OverdueAfter;
            if (LatestFireAtOrBefore(s, zone, cutoff) is not { } fire)
            {
                continue;
            }

            var since = await ScheduledSinceAsync(connection, s.Id, quartz, cancellationToken);
            if (since is null || fire < since)
            {
                continue;
            }

            var period = RangeExpression.Resolve(s.Range, zone, fire, "Range");
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM cr_runs WHERE subscription_id = @sub AND period_from = @from AND period_to = @to";
            ServiceDatabase.Add(cmd, "sub", s.Id);
            ServiceDatabase.Add(cmd, "from", period.UtcFrom);
            ServiceDatabase.Add(cmd, "to", period.UtcTo);
            if (Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            var due = fire + s.SettleDelay;
            if (oldest is null || due < oldest.DueBy)
            {
                oldest = new OverdueSubscription(s.Id, fire, due, period.UtcFrom, period.UtcTo);
            }
        }

        return oldest;
    }

    private static DateTimeOffset? LatestFireAtOrBefore(Subscription s, TimeZoneInfo zone, DateTimeOffset cutoff)
    {
        var cron = CronExpression.Parse(Cadence.ToQuartzCron(s.Cadence, "Cadence")).WithTimeZone(zone);
        // Look back in growing steps, so a 5-second cadence and a yearly one both cost a few hundred steps at most.
        foreach (var back in new[] { TimeSpan.FromMinutes(10), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(370) })
        {
            DateTimeOffset? latest = null;
            var steps = 0;
            for (var t = cron.GetNextValidTimeAfter(cutoff - back); t is { } fire && fire <= cutoff && steps < 200_000; t = cron.GetNextValidTimeAfter(fire), steps++)
            {
                latest = fire;
            }

            if (latest is not null)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>When the subscription started being scheduled: its cron trigger's start (PostgreSQL) or its first run, whichever is earlier.</summary>
    private static async Task<DateTimeOffset?> ScheduledSinceAsync(DbConnection connection, string subscriptionId, bool quartz, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = null;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT min(started_at) FROM cr_runs WHERE subscription_id = @sub";
            ServiceDatabase.Add(cmd, "sub", subscriptionId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            if (await r.ReadAsync(cancellationToken) && !r.IsDBNull(0))
            {
                since = ServiceDatabase.ReadInstant(r, 0);
            }
        }

        if (quartz)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT start_time FROM qrtz_triggers WHERE trigger_name = @name AND trigger_group = @group";
            ServiceDatabase.Add(cmd, "name", "cron." + subscriptionId);
            ServiceDatabase.Add(cmd, "group", SubscriptionJob.Group);
            if (await cmd.ExecuteScalarAsync(cancellationToken) is long start)
            {
                var t = QuartzInstant(start);
                since = since is null || t < since ? t : since;
            }
        }

        return since;
    }

    /// <summary>The latest failed run, and whether it is final: all attempts used and no run of its period succeeded since, within the window.</summary>
    private async Task<(RunRecord? Run, bool Final)> LastFailedAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = await ledger.ListAsync(null, RunStatus.Failed, 1, cancellationToken);
        if (failed.Count == 0)
        {
            return (null, false);
        }

        var run = failed[0];
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM cr_runs WHERE subscription_id = @sub AND period_from = @from AND period_to = @to AND status IN ('succeeded', 'skipped-empty', 'running')";
        ServiceDatabase.Add(cmd, "sub", run.SubscriptionId);
        ServiceDatabase.Add(cmd, "from", run.PeriodFrom);
        ServiceDatabase.Add(cmd, "to", run.PeriodTo);
        var healed = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        var final = !healed && run.Attempt >= scheduling.Value.MaxRunAttempts && now - (run.FinishedAt ?? run.StartedAt) <= options.Value.FailedWithin;
        return (run, final);
    }

    /// <summary>Quartz stores instants as .NET UTC ticks; accept Unix milliseconds too, in case a store writes those.</summary>
    private static DateTimeOffset QuartzInstant(long value) =>
        value > 100_000_000_000_000L ? new DateTimeOffset(value, TimeSpan.Zero) : DateTimeOffset.FromUnixTimeMilliseconds(value);
}
