using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Recipients;

/// <summary>The latest delivery to an address per subscription, from <c>cr_deliveries</c> (index <c>ix_cr_deliveries_recipient</c>).</summary>
public sealed class RecipientDeliveries(ServiceDatabase database)
{
    private sealed class Row
    {
        public string SubscriptionId { get; set; } = "";
        public DateTime UpdatedAt { get; set; }
        public string Outcome { get; set; } = "";
        public string MessageId { get; set; } = "";
        public string RunId { get; set; } = "";
    }

    public async Task<IReadOnlyDictionary<string, LastDelivery>> LatestAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT subscription_id AS SubscriptionId, updated_at AS UpdatedAt, outcome AS Outcome, message_id AS MessageId, run_id AS RunId
            FROM cr_deliveries WHERE recipient = @address ORDER BY updated_at DESC
            """, new { address = address.ToLowerInvariant() }, cancellationToken: cancellationToken));
        var latest = new Dictionary<string, LastDelivery>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            latest.TryAdd(r.SubscriptionId, new LastDelivery(Instants.FromDb(r.UpdatedAt), r.Outcome, r.MessageId, r.RunId));
        }

        return latest;
    }
}

public sealed record LastDelivery(DateTimeOffset At, string Outcome, string MessageId, string RunId);
