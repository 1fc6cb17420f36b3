namespace CarrierReports.Runs;

/// <summary>
/// Another run of the same subscription and period is still running (its heartbeat is fresh), so this one did not
/// start. Not a failure of the period: the holder finishes it, or goes stale and is taken over.
/// </summary>
public sealed class RunBusyException(string subscriptionId, string holderRunId, string holderNode, DateTimeOffset holderHeartbeat)
    : Exception($"subscription {subscriptionId}: run {holderRunId} on node {holderNode} is running this period (last heartbeat {holderHeartbeat:O})")
{
    public string HolderRunId { get; } = holderRunId;

    public string HolderNode { get; } = holderNode;

    public DateTimeOffset HolderHeartbeat { get; } = holderHeartbeat;
}
