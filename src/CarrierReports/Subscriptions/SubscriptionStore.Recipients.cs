using CarrierReports.Access;
using CarrierReports.Audit;

namespace CarrierReports.Subscriptions;

public sealed partial class SubscriptionStore
{
    /// <summary>
    /// Replaces <paramref name="address"/> by <paramref name="replacement"/> (or removes it when null) in every database
    /// subscription in the caller's scope that names it, in one transaction with one audit row: someone left the
    /// company, all at once or not at all. <paramref name="seen"/> holds the entity tag the caller saw of each such
    /// subscription; one missing or changed since refuses the whole change (412), so no one edits what they did not see.
    /// </summary>
    /// <returns>The subscriptions changed, with their new versions.</returns>
    public async Task<IReadOnlyList<StoredSubscription>> ReplaceRecipientAsync(string address, string? replacement, IReadOnlyDictionary<string, string> seen,
        SubscriptionActor who, CancellationToken cancellationToken)
    {
        var targets = (await ListAsync(cancellationToken))
            .Where(s => !s.ReadOnly && who.Actor.Scope.Allows(s.Subscription.Carrier) && s.Subscription.Addresses.Contains(address.ToLowerInvariant()))
            .Select(s => s.Subscription.Id)
            .ToList();
        if (targets.Count == 0)
        {
            throw new SubscriptionChangeException(SubscriptionChangeKind.NotFound, $"no database subscription sends to '{address}'");
        }

        await trail.EnsureSchemaAsync(cancellationToken);
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var changed = new List<StoredSubscription>();
        var before = new Dictionary<string, SubscriptionRecipients>(StringComparer.Ordinal);
        var after = new Dictionary<string, SubscriptionRecipients>(StringComparer.Ordinal);
        foreach (var id in targets)
        {
            var current = await ReadCurrentAsync(connection, tx, id, cancellationToken);
            if (current.Live is null || !seen.TryGetValue(id, out var etag) || etag != current.ETag)
            {
                throw new SubscriptionChangeException(SubscriptionChangeKind.Stale,
                    $"subscription '{id}' sends to '{address}' and was changed since you listed it (or is not in 'seen'); list the address again and resend");
            }

            var definition = Parse(SubscriptionETag.Canonical(current.Live));
            definition.Recipients = new SubscriptionRecipients
            {
                To = Swap(definition.Recipients.To, address, replacement),
                Cc = Swap(definition.Recipients.Cc, address, replacement),
                Bcc = Swap(definition.Recipients.Bcc, address, replacement),
            };
            var subscription = Validate(id, definition, who.Actor.Scope);
            var version = await WriteAsync(connection, tx, id, current, definition, "recipients", who, cancellationToken);
            before[id] = current.Live.Recipients;
            after[id] = definition.Recipients;
            changed.Add(new StoredSubscription(subscription, version));
        }

        await trail.AppendAsync(new AuditRecord(who.Actor, replacement is null ? "recipients.remove" : "recipients.replace", address.ToLowerInvariant(),
            AuditRecord.Json(before), AuditRecord.Json(after), who.ClientAddress), connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        catalog.Invalidate();
        return changed;
    }

    /// <summary>The list with the address (any case, with or without a display name) replaced or dropped, without duplicates.</summary>
    private static List<string> Swap(List<string> list, string address, string? replacement)
    {
        var result = new List<string>();
        foreach (var entry in list)
        {
            var same = MimeKit.MailboxAddress.TryParse(entry, out var parsed) && string.Equals(parsed.Address, address, StringComparison.OrdinalIgnoreCase);
            var next = same ? replacement : entry;
            if (next is not null && !result.Contains(next, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(next);
            }
        }

        return result;
    }
}
