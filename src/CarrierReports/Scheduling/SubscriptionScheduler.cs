using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Scheduling;

/// <summary>
/// At start-up: validates every subscription and its templates (the service refuses to start on any error), gives each
/// enabled one a job with a cron trigger in its zone, removes jobs of subscriptions that are gone, and schedules each
/// period missed while no node was running. While running: follows changes to the subscriptions every
/// <see cref="SchedulingOptions.SubscriptionRefreshInterval"/>, and finds runs left "running" by a dead node and retries them.
/// </summary>
public sealed class SubscriptionScheduler(
    ISchedulerFactory schedulerFactory,
    SubscriptionCatalog catalog,
    TemplateRenderer templates,
    RunLedger ledger,
    ServiceDatabase database,
    IOptions<SchedulingOptions> options,
    IOptions<RunOptions> runOptions,
    TimeProvider time,
    ILogger<SubscriptionScheduler> logger) : BackgroundService
{
    /// <summary>The advisory lock nodes take while they (re)schedule subscriptions.</summary>
    private const long SchedulingLockKey = 20261128;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await catalog.LoadAsync(cancellationToken);

        // A template typo must stop the service now, not fail the first scheduled run at 06:00.
        ValidateTemplates(subscriptions, cancellationToken);
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
        await ReconcileAsync(scheduler, subscriptions, cancellationToken);
        foreach (var s in subscriptions.Where(s => s.Enabled))
        {
            await ScheduleCatchUpAsync(scheduler, s, cancellationToken);
        }
    }

    /// <summary>
    /// Makes the scheduler's jobs match <paramref name="subscriptions"/>: a trigger for each enabled one (rebuilt only when
    /// its cadence, zone or late-fire tolerance changed), no job for a disabled or deleted one.
    /// </summary>
    internal async Task ReconcileAsync(IScheduler scheduler, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var enabled = subscriptions.Where(s => s.Enabled).ToList();
        foreach (var s in enabled)
        {
            var triggerKey = TriggerKeyFor(s.Id);
            if (await scheduler.GetTrigger(triggerKey, cancellationToken) is ICronTrigger existing &&
                existing.CronExpressionString == s.Cron && existing.TimeZone.Id == s.TimeZone.Id && existing.MisfireThreshold == options.Value.LateFireTolerance)
            {
                continue;
            }

            var job = JobBuilder.Create<SubscriptionJob>()
                .WithIdentity(SubscriptionJob.KeyFor(s.Id))
                .UsingJobData(SubscriptionJob.SubscriptionKey, s.Id)
                .StoreDurably()
                .RequestRecovery()
                .Build();
            // A fire that starts late because the workers are busy still runs, up to LateFireTolerance; fire times
            // missed beyond that (the service was down) are found from the ledger at start-up and run once each.
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(job)
                .WithCronSchedule(s.Cron, x => x.InTimeZone(s.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .WithMisfireThreshold(options.Value.LateFireTolerance)
                .Build();
            await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
            SchedulingLog.Scheduled(logger, s.Id, s.Cron, s.TimeZone.Id, trigger.GetFireTimeAfter(time.GetUtcNow()));
        }

        var keep = enabled.Select(s => SubscriptionJob.KeyFor(s.Id)).ToHashSet();
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(SubscriptionJob.Group), cancellationToken))
        {
            if (!keep.Contains(key))
            {
                await scheduler.DeleteJob(key, cancellationToken);
                SchedulingLog.Unscheduled(logger, key.Name);
            }
        }
    }

    /// <summary>The cron trigger of a subscription; <c>health</c> reads its start time.</summary>
    public static TriggerKey TriggerKeyFor(string subscriptionId) => new("cron." + subscriptionId, SubscriptionJob.Group);

    /// <summary>Every fire time between the last recorded run and now, the most recent <see cref="SchedulingOptions.MaxCatchUpRuns"/>, oldest first.</summary>
    private async Task ScheduleCatchUpAsync(IScheduler scheduler, Subscription s, CancellationToken cancellationToken)
    {
        var last = await ledger.LastScheduledAsync(s.Id, cancellationToken);
        if (last is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var missed = s.FireTimesBetween(last.Value, now);
        var max = options.Value.MaxCatchUpRuns;
        if (missed.Count > max)
        {
            SchedulingLog.CatchUpCapped(logger, s.Id, missed.Count, max);
            missed = [.. missed.Skip(missed.Count - max)];
        }

        for (var i = 0; i < missed.Count; i++)
        {
            // Staggered start times keep them in order; the job is non-concurrent, so they run one after another.
            await SubscriptionJob.ScheduleOnceAsync(scheduler, "catchup", s.Id, missed[i], now.AddMilliseconds(i * 10), RunTrigger.CatchUp, 1, cancellationToken);
        }

        if (missed.Count > 0)
        {
            SchedulingLog.CatchUp(logger, s.Id, missed.Count, missed[0], missed[^1]);
        }
    }

    /// <summary>The cron fire times of <paramref name="s"/> in (after, now].</summary>
    public static List<DateTimeOffset> MissedFireTimes(Subscription s, DateTimeOffset after, DateTimeOffset now) => [.. s.FireTimesBetween(after, now)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ResolveStaleRunsAsync(stoppingToken), FollowSubscriptionsAsync(stoppingToken));

    /// <summary>Re-reads the subscriptions on a timer and applies what changed, so no restart is needed.</summary>
    private async Task FollowSubscriptionsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SubscriptionRefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // An invalid edit or a database restart: keep the current schedule and look again at the next tick.
                SchedulingLog.RefreshFailed(logger, ex.Message);
            }
        }
    }

    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await catalog.LoadAsync(cancellationToken);
        ValidateTemplates(subscriptions, cancellationToken);
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        await using (await database.LockAsync(SchedulingLockKey, cancellationToken))
        {
            await ReconcileAsync(scheduler, subscriptions, cancellationToken);
        }
    }

    private async Task ResolveStaleRunsAsync(CancellationToken stoppingToken)
    {
        var o = runOptions.Value;
        using var timer = new PeriodicTimer(o.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var scheduler = await schedulerFactory.GetScheduler(stoppingToken);
                foreach (var stale in await ledger.ResolveStaleAsync(o.StaleRunAfter, stoppingToken))
                {
                    SchedulingLog.Stale(logger, stale.RunId, stale.SubscriptionId, stale.Node);
                    if (stale.Attempt < o.MaxRunAttempts && await scheduler.Exists(SubscriptionJob.KeyFor(stale.SubscriptionId), stoppingToken))
                    {
                        await SubscriptionJob.ScheduleOnceAsync(scheduler, "stale", stale.SubscriptionId, stale.ScheduledAt, time.GetUtcNow(), RunTrigger.Retry, stale.Attempt + 1, stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; the next tick tries again.
                SchedulingLog.HousekeepingFailed(logger, ex.Message);
            }
        }
    }

    private void ValidateTemplates(IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        foreach (var folder in subscriptions.Where(s => s.Enabled).Select(s => s.TemplateFolder).Distinct())
        {
            templates.Validate(folder, cancellationToken);
        }
    }
}
