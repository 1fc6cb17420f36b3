using CarrierReports.Cdr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Rollups;

/// <summary>
/// The refresh every <see cref="RollupOptions.RefreshInterval"/>. In a cluster Quartz fires it on one node at a time and
/// <see cref="DisallowConcurrentExecutionAttribute"/> keeps a slow run (the first backfill) from overlapping the next;
/// the watermark is in the database, so a restart or another node carries on where the last run stopped.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RollupRefreshJob(RollupRefresher refresher, ILogger<RollupRefreshJob> logger) : IJob
{
    public static readonly JobKey Key = new("rollup-refresh", "rollups");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await refresher.RefreshAsync(null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next fire tries again; health shows the growing lag meanwhile.
            Log.JobFailed(logger, "refresh", ex.Message);
        }
    }
}

/// <summary>The daily reconciliation of the last <see cref="RollupOptions.ReconcileDays"/> UTC days before the watermark.</summary>
[DisallowConcurrentExecution]
public sealed class RollupReconcileJob(RollupReconciler reconciler, RollupStore store, IOptions<RollupOptions> options, ILogger<RollupReconcileJob> logger) : IJob
{
    public static readonly JobKey Key = new("rollup-reconcile", "rollups");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.ReadStateAsync(cancellationToken) is not { } state)
            {
                return;
            }

            var to = Slots.FloorDay(state.Watermark).AddDays(1);
            await reconciler.ReconcileAsync(to.AddDays(-options.Value.ReconcileDays - 1), to, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.JobFailed(logger, "reconciliation", ex.Message);
        }
    }
}

// Quartz's default misfire policies fit: a missed refresh runs at the next interval, a missed reconciliation once now.
/// <summary>
/// Puts both rollup jobs into the scheduler at start (in the clustered job store with PostgreSQL, so they survive
/// restarts and fail over), replacing their triggers only when the interval or cron changed, and removes them when
/// rollups are turned off.
/// </summary>
public sealed class RollupScheduler(ISchedulerFactory schedulerFactory, Storage.ServiceDatabase database, IOptions<RollupOptions> options) : Microsoft.Extensions.Hosting.IHostedService
{
    private static readonly TriggerKey RefreshTrigger = new("rollup-refresh", "rollups");
    private static readonly TriggerKey ReconcileTrigger = new("rollup-reconcile", "rollups");

    /// <summary>Shared with the subscription scheduler: nodes starting together take turns.</summary>
    private const long SchedulingLockKey = 20261128;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var o = options.Value;
        await using var _ = await database.LockAsync(SchedulingLockKey, cancellationToken);
        if (!o.Enabled)
        {
            await scheduler.DeleteJob(RollupRefreshJob.Key, cancellationToken);
            await scheduler.DeleteJob(RollupReconcileJob.Key, cancellationToken);
            return;
        }

        if (await scheduler.GetTrigger(RefreshTrigger, cancellationToken) is not ISimpleTrigger simple || simple.RepeatInterval != o.RefreshInterval)
        {
            var job = JobBuilder.Create<RollupRefreshJob>().WithIdentity(RollupRefreshJob.Key).StoreDurably().Build();
            var trigger = TriggerBuilder.Create().WithIdentity(RefreshTrigger).ForJob(job).StartNow()
                .WithSimpleSchedule(x => x.WithInterval(o.RefreshInterval).RepeatForever())
                .Build();
            await scheduler.ScheduleJob(job, new[] { trigger }, ScheduleJobOptions.Replacing, cancellationToken);
        }

        if (await scheduler.GetTrigger(ReconcileTrigger, cancellationToken) is not ICronTrigger cron || cron.CronExpressionString != o.ReconcileCron)
        {
            var job = JobBuilder.Create<RollupReconcileJob>().WithIdentity(RollupReconcileJob.Key).StoreDurably().Build();
            var trigger = TriggerBuilder.Create().WithIdentity(ReconcileTrigger).ForJob(job)
                .WithCronSchedule(o.ReconcileCron, x => x.InTimeZone(TimeZoneInfo.Utc))
                .Build();
            await scheduler.ScheduleJob(job, new[] { trigger }, ScheduleJobOptions.Replacing, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
