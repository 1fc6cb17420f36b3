using Microsoft.Extensions.Logging;

namespace CarrierReports.Runs;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {SubscriptionId} started for {From:O}..{To:O} on {Node}")]
    public static partial void Started(ILogger logger, string runId, string subscriptionId, DateTimeOffset from, DateTimeOffset to, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {SubscriptionId}: {Status} ({Detail})")]
    public static partial void Completed(ILogger logger, string runId, string subscriptionId, string status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} of {SubscriptionId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string runId, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not alert operations about {SubscriptionId}: {Reason}")]
    public static partial void AlertFailed(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: recording its failure failed too ({Reason}); it will be found stale and retried")]
    public static partial void RecordFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} is no longer marked running (declared stale by another node); it will not send")]
    public static partial void ClaimLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TEST FAULT: run {RunId} paused at {Point}; marker {Marker}")]
    public static partial void TestPause(ILogger logger, string runId, TestFaultPoint point, string marker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of run {RunId} failed: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string runId, string reason);
}
