using Microsoft.Extensions.Logging;

namespace CarrierReports.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {SubscriptionId}: cron '{Cron}' in {Zone}, next at {Next:O}")]
    public static partial void Scheduled(ILogger logger, string subscriptionId, string cron, string zone, DateTimeOffset? next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the job of subscription {SubscriptionId}: deleted or disabled")]
    public static partial void Unscheduled(ILogger logger, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} missed {Missed} periods; catching up the latest {Max} (backfill the rest)")]
    public static partial void CatchUpCapped(ILogger logger, string subscriptionId, int missed, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: catching up {Count} missed periods, fire times {First:O} to {Last:O}")]
    public static partial void CatchUp(ILogger logger, string subscriptionId, int count, DateTimeOffset first, DateTimeOffset last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {SubscriptionId} on node {Node} went stale; marked failed and retried")]
    public static partial void Stale(ILogger logger, string runId, string subscriptionId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-run check failed: {Reason}")]
    public static partial void HousekeepingFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow changes to the subscriptions; keeping the current schedule: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string reason);
}
