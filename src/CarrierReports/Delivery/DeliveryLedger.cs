using CarrierReports.Storage;

namespace CarrierReports.Delivery;

/// <summary>The delivery side of the run ledger: who has had which period, so a period reaches each recipient once.</summary>
public sealed class DeliveryLedger(DeliveryTable table)
{
    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await table.ListAsync(subscriptionId, from, to, cancellationToken)).Select(r => new DeliveryRecord(
            r.SubscriptionId, Instants.FromDb(r.PeriodFrom), Instants.FromDb(r.PeriodTo), r.Recipient, DeliveryNames.ParseKind(r.Kind), r.MessageId,
            DeliveryNames.ParseOutcome(r.Outcome), r.SmtpReply, r.Attempts, r.Error, r.RunId, Instants.FromDb(r.UpdatedAt)))];

    /// <summary>The recipients (lower-case) that already have the period of <paramref name="key"/>.</summary>
    public async Task<IReadOnlySet<string>> DeliveredAsync(DeliveryKey key, CancellationToken cancellationToken) =>
        (await ListAsync(key.SubscriptionId, key.UtcFrom, key.UtcTo, cancellationToken))
            .Where(d => d.Outcome == DeliveryOutcome.Delivered).Select(d => d.Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records a recipient's outcome. A delivered row is final: a later failure for the same key never overwrites it.</summary>
    public Task RecordAsync(DeliveryRecord d, CancellationToken cancellationToken) =>
        table.UpsertAsync(new DeliveryRow
        {
            SubscriptionId = d.SubscriptionId, PeriodFrom = d.PeriodFrom.UtcDateTime, PeriodTo = d.PeriodTo.UtcDateTime,
            Recipient = d.Recipient.ToLowerInvariant(), Kind = d.Kind.Name(), MessageId = d.MessageId, Outcome = d.Outcome.Name(),
            SmtpReply = d.SmtpReply, Attempts = d.Attempts, Error = d.Error, RunId = d.RunId, UpdatedAt = d.UpdatedAt.UtcDateTime,
        }, cancellationToken);
}
