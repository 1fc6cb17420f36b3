using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Scheduling;

/// <summary>
/// At start-up: validates every subscription and its templates (the service refuses to start on any error), gives each enabled one a
/// job with a cron trigger in its zone, removes jobs of subscriptions that are gone, and schedules each period missed
/// while no node was running. While running: finds runs left "running" by a dead node and retries them.
/// </summary>
public sealed partial class SubscriptionScheduler(
    ISchedulerFactory schedulerFactory,
    SubscriptionCatalog catalog,
    Templating.TemplateRenderer templates,
    RunLedger ledger,
    Storage.ServiceDatabase database,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SubscriptionScheduler> logger) : BackgroundService
{
    /// <summary>The advisory lock nodes take while they (re)schedule subscriptions at start-up.</summary>
    private const long SchedulingLockKey = 20261128;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await catalog.LoadAsync(cancellationToken);

        // A template typo must stop the service now, not fail the first scheduled run at 06:00.
        foreach (var folder in subscriptions.Where(s => s.Enabled).Select(s => s.TemplateFolder is { Length: > 0 } f ? f : null).Distinct())
        {
            templates.Validate(folder, cancellationToken);
        }

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        // Nodes starting together take turns: otherwise each sees no trigger yet and replaces the one another node just
        // stored, and a replacement racing a fire already acquired by a running node can fire that time twice.
        await using (await database.LockAsync(SchedulingLockKey, cancellationToken))
        {
            await ScheduleAsync(scheduler, subscriptions, cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    internal async Task ScheduleAsync(IScheduler scheduler, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var enabled = subscriptions.Where(s => s.Enabled).ToList();
        foreach (var s in enabled)
        {
            var cron = Cadence.ToQuartzCron(s.Cadence, "Cadence");
            var zone = Zones.Find(s.TimeZone, "TimeZone");
            var job = JobBuilder.Create<SubscriptionJob>()
                .WithIdentity(SubscriptionJob.KeyFor(s.Id))
                .UsingJobData(SubscriptionJob.SubscriptionKey, s.Id)
                .StoreDurably()
                .RequestRecovery()
                .Build();
            var triggerKey = new TriggerKey("cron." + s.Id, SubscriptionJob.Group);
            if (await scheduler.GetTrigger(triggerKey, cancellationToken) is ICronTrigger existing &&
                existing.CronExpressionString == cron && existing.TimeZone.Id == zone.Id && existing.MisfireThreshold == options.Value.LateFireTolerance)
            {
                continue;
            }

            // A fire that starts late because the workers are busy still runs, up to LateFireTolerance; fire times
            // missed beyond that (the service was down) are found from the ledger below and run once each.
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(job)
                .WithCronSchedule(cron, x => x.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .WithMisfireThreshold(options.Value.LateFireTolerance)
                .Build();
            await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
            LogScheduled(logger, s.Id, cron, zone.Id, trigger.GetFireTimeAfter(time.GetUtcNow()));
        }

        var keep = enabled.Select(s => SubscriptionJob.KeyFor(s.Id)).ToHashSet();
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(SubscriptionJob.Group), cancellationToken))
        {
            if (!keep.Contains(key))
            {
                await scheduler.DeleteJob(key, cancellationToken);
                LogUnscheduled(logger, key.Name);
            }
        }

        foreach (var s in enabled)
        {
            await ScheduleCatchUpAsync(scheduler, s, cancellationToken);
        }
    }

    /// <summary>Every fire time between the last recorded run and now, the most recent <see cref="SchedulingOptions.MaxCatchUpRuns"/>, oldest first.</summary>
    private async Task ScheduleCatchUpAsync(IScheduler scheduler, Subscription s, CancellationToken cancellationToken)
    {
        var last = await ledger.LastScheduledAsync(s.Id, cancellationToken);
        if (last is null)
        {
            return;
        }

        var missed = MissedFireTimes(s, last.Value, time.GetUtcNow());
        var max = options.Value.MaxCatchUpRuns;
        if (missed.Count > max)
        {
            LogCatchUpCapped(logger, s.Id, missed.Count, max);
            missed = missed.Skip(missed.Count - max).ToList();
        }

        var now = time.GetUtcNow();
        for (var i = 0; i < missed.Count; i++)
        {
            // Staggered start times keep them in order; the job is non-concurrent, so they run one after another.
            await SubscriptionJob.ScheduleOnceAsync(scheduler, "catchup", s.Id, missed[i], now.AddMilliseconds(i * 10), RunTrigger.CatchUp, 1, cancellationToken);
        }

        if (missed.Count > 0)
        {
            LogCatchUp(logger, s.Id, missed.Count, missed[0], missed[^1]);
        }
    }

    /// <summary>The cron fire times of <paramref name="s"/> in (after, now].</summary>
    public static List<DateTimeOffset> MissedFireTimes(Subscription s, DateTimeOffset after, DateTimeOffset now)
    {
        var cron = CronExpression.Parse(Cadence.ToQuartzCron(s.Cadence, "Cadence")).WithTimeZone(Zones.Find(s.TimeZone, "TimeZone"));
        var list = new List<DateTimeOffset>();
        for (var t = cron.GetNextValidTimeAfter(after); t is { } fire && fire <= now; t = cron.GetNextValidTimeAfter(fire))
        {
            list.Add(fire);
            if (list.Count > 100_000)
            {
                break;
            }
        }

        return list;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var scheduler = await schedulerFactory.GetScheduler(stoppingToken);
                foreach (var stale in await ledger.ResolveStaleAsync(o.StaleRunAfter, stoppingToken))
                {
                    LogStale(logger, stale.RunId, stale.SubscriptionId, stale.Node);
                    if (stale.Attempt < o.MaxRunAttempts && await scheduler.Exists(SubscriptionJob.KeyFor(stale.SubscriptionId), stoppingToken))
                    {
                        await SubscriptionJob.ScheduleOnceAsync(scheduler, "stale", stale.SubscriptionId, stale.ScheduledAt, time.GetUtcNow(), RunTrigger.Retry, stale.Attempt + 1, stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; the next tick tries again.
                LogHousekeepingFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {SubscriptionId}: cron '{Cron}' in {Zone}, next at {Next:O}")]
    private static partial void LogScheduled(ILogger logger, string subscriptionId, string cron, string zone, DateTimeOffset? next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the job of subscription {SubscriptionId}: deleted or disabled")]
    private static partial void LogUnscheduled(ILogger logger, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} missed {Missed} periods; catching up the latest {Max} (backfill the rest)")]
    private static partial void LogCatchUpCapped(ILogger logger, string subscriptionId, int missed, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: catching up {Count} missed periods, fire times {First:O} to {Last:O}")]
    private static partial void LogCatchUp(ILogger logger, string subscriptionId, int count, DateTimeOffset first, DateTimeOffset last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {SubscriptionId} on node {Node} went stale; marked failed and retried")]
    private static partial void LogStale(ILogger logger, string runId, string subscriptionId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-run check failed: {Reason}")]
    private static partial void LogHousekeepingFailed(ILogger logger, string reason);
}
