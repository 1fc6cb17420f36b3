namespace CarrierReports.Subscriptions;

/// <summary>Why a change to a subscription was refused; the web layer turns <see cref="Kind"/> into a status code.</summary>
public sealed class SubscriptionChangeException(SubscriptionChangeKind kind, string message) : Exception(message)
{
    public SubscriptionChangeKind Kind { get; } = kind;
}

public enum SubscriptionChangeKind
{
    /// <summary>No such subscription, or it is outside the caller's carrier scope (404).</summary>
    NotFound,

    /// <summary>The caller's entity tag is not the current one: someone changed it meanwhile (412).</summary>
    Stale,

    /// <summary>Defined in a configuration file or the settings, or the id is taken (409).</summary>
    Conflict,
}
