namespace CarrierReports.Subscriptions;

/// <summary>One stored version of a database subscription: who made it, when, how, and the definition before and after.</summary>
/// <param name="Action"><c>create</c>, <c>update</c>, <c>enable</c>, <c>disable</c>, <c>delete</c>, <c>restore</c> or <c>recipients</c>.</param>
/// <param name="Deleted">True for the version a deletion wrote; <paramref name="Definition"/> is then the last definition.</param>
/// <param name="Before">The definition this version replaced; null for the first version.</param>
/// <param name="ChangedFields">The top-level fields that differ from <paramref name="Before"/>.</param>
public sealed record SubscriptionVersion(
    string SubscriptionId,
    int Version,
    string Action,
    bool Deleted,
    SubscriptionDefinition Definition,
    SubscriptionDefinition? Before,
    IReadOnlyList<string> ChangedFields,
    string ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>A subscription as stored now, with the version its <see cref="ETag"/> names.</summary>
/// <param name="Version">The latest stored version; 0 for a file or settings subscription, or one saved before versions were kept.</param>
public sealed record StoredSubscription(Subscription Subscription, int Version)
{
    public bool ReadOnly => Subscription.Origin != SubscriptionCatalog.DatabaseOrigin;

    public string ETag => SubscriptionETag.Of(Subscription.Definition, Version);
}
