namespace CarrierReports.Subscriptions;

/// <summary>One or more invalid subscriptions; the message lists every problem, one per line.</summary>
public sealed class SubscriptionException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
