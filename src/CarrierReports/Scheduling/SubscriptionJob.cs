using System.Globalization;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Scheduling;

/// <summary>
/// The Quartz job of one subscription. The period always comes from the scheduled fire time (or, for catch-up,
/// retry and settle triggers, from the fire time they carry), never from the clock at execution, so a late, recovered
/// or retried run reports the same period. One subscription never runs twice at once, across the cluster too.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SubscriptionJob(
    SubscriptionRunner runner,
    RunAlerts alerts,
    SubscriptionCatalog catalog,
    IOptions<SchedulingOptions> options,
    IOptions<RunOptions> runOptions,
    TimeProvider time,
    ILogger<SubscriptionJob> logger) : IJob
{
    public const string Group = "subscriptions";
    public const string SubscriptionKey = "subscription";
    public const string AsOfKey = "asOf";
    public const string AttemptKey = "attempt";
    public const string TriggerKindKey = "trigger";

    public static JobKey KeyFor(string subscriptionId) => new(subscriptionId, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var id = data.GetString(SubscriptionKey) ?? throw new JobExecutionException("job data has no subscription id");
        var asOf = AsOf(context);
        var attempt = data.TryGetString(AttemptKey, out var a) && int.TryParse(a, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var kind = data.TryGetString(TriggerKindKey, out var k) && RunNames.TryParseTrigger(k, out var parsed) ? parsed
            : context.Recovering ? RunTrigger.Retry : RunTrigger.Schedule;

        Subscription subscription;
        try
        {
            subscription = await catalog.GetAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is SubscriptionException or InputException)
        {
            LogSubscriptionInvalid(logger, id, ex.Message);
            throw new JobExecutionException(ex);
        }

        if (!subscription.Enabled)
        {
            return;
        }

        // Late CDRs: a period is reported only once its settle delay has passed; until then, come back for it.
        var settleAt = subscription.PeriodFor(asOf).UtcTo + subscription.SettleDelay;
        if (time.GetUtcNow() < settleAt)
        {
            await ScheduleOnceAsync(context.Scheduler, "settle", subscription.Id, asOf, settleAt, kind, attempt, cancellationToken);
            LogDeferred(logger, subscription.Id, settleAt);
            return;
        }

        try
        {
            await runner.RunAsync(subscription, asOf, kind, attempt, cancellationToken);
        }
        catch (RunBusyException busy) when (!cancellationToken.IsCancellationRequested)
        {
            await ComeBackWhenFreeAsync(context.Scheduler, subscription, asOf, kind, attempt, busy, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await RetryOrAlertAsync(context.Scheduler, subscription, asOf, attempt, ex, cancellationToken);
            throw new JobExecutionException(ex);
        }
    }

    /// <summary>
    /// Another run holds this period (e.g. a node that was killed a moment ago and is not yet stale). Not a failed
    /// attempt: come back when the holder would be stale, by which time it has finished or is taken over.
    /// </summary>
    private async Task ComeBackWhenFreeAsync(IScheduler scheduler, Subscription subscription, DateTimeOffset asOf, RunTrigger kind, int attempt,
        RunBusyException busy, CancellationToken cancellationToken)
    {
        var o = runOptions.Value;
        var at = busy.HolderHeartbeat + o.StaleRunAfter + o.HeartbeatInterval;
        var now = time.GetUtcNow();
        at = at < now + o.HeartbeatInterval ? now + o.HeartbeatInterval : at;
        await ScheduleOnceAsync(scheduler, $"wait{at.UtcTicks}", subscription.Id, asOf, at, kind, attempt, cancellationToken);
        LogBusy(logger, subscription.Id, busy.Message, at);
    }

    /// <summary>A failed attempt: retried after a doubling delay, or, after the last one, reported to operations.</summary>
    private async Task RetryOrAlertAsync(IScheduler scheduler, Subscription subscription, DateTimeOffset asOf, int attempt, Exception error, CancellationToken cancellationToken)
    {
        if (attempt < runOptions.Value.MaxRunAttempts)
        {
            var delay = options.Value.RetryDelay * Math.Pow(2, attempt - 1);
            await ScheduleOnceAsync(scheduler, "retry", subscription.Id, asOf, time.GetUtcNow() + delay, RunTrigger.Retry, attempt + 1, cancellationToken);
            LogRetryScheduled(logger, subscription.Id, attempt, delay);
        }
        else
        {
            await alerts.AlertAsync(subscription, asOf, attempt, error, cancellationToken);
        }
    }

    /// <summary>The instant the period is computed from.</summary>
    private static DateTimeOffset AsOf(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        if (data.TryGetString(AsOfKey, out var s) && s is { Length: > 0 })
        {
            return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }

        // A run recovered after its node died: Quartz passes the original scheduled fire time along (the recovery
        // trigger's own fire time is the original's actual fire time, a few milliseconds late, which would shift a
        // short period). Quartz 4 writes it as an invariant-culture DateTimeOffset; older versions wrote Unix milliseconds.
        if (context.Recovering && data.TryGetString(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime, out var original) &&
            ParseOriginalFireTime(original) is { } scheduled)
        {
            return scheduled;
        }

        return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
    }

    internal static DateTimeOffset? ParseOriginalFireTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(millis);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;
    }

    /// <summary>A one-shot trigger for this subscription's job, carrying the fire time to report for.</summary>
    internal static async Task ScheduleOnceAsync(IScheduler scheduler, string purpose, string subscriptionId, DateTimeOffset asOf, DateTimeOffset at,
        RunTrigger kind, int attempt, CancellationToken cancellationToken)
    {
        var key = new TriggerKey($"{purpose}.{subscriptionId}.{asOf.UtcTicks}.{attempt}", Group);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(KeyFor(subscriptionId))
            .UsingJobData(AsOfKey, asOf.ToString("O", CultureInfo.InvariantCulture))
            .UsingJobData(AttemptKey, attempt.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(TriggerKindKey, kind.Name())
            .StartAt(at)
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another node (or an earlier start) already asked for exactly this run.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscription {SubscriptionId} cannot run: {Reason}")]
    private static partial void LogSubscriptionInvalid(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: period not settled, runs at {SettleAt:O}")]
    private static partial void LogDeferred(ILogger logger, string subscriptionId, DateTimeOffset settleAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: {Reason}; looking again at {At:O}")]
    private static partial void LogBusy(ILogger logger, string subscriptionId, string reason, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId}: attempt {Attempt} failed, retrying in {Delay}")]
    private static partial void LogRetryScheduled(ILogger logger, string subscriptionId, int attempt, TimeSpan delay);
}
