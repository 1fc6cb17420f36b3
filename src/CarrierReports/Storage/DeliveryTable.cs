using Dapper;

namespace CarrierReports.Storage;

/// <summary>One row of <c>cr_deliveries</c>, as stored: instants in UTC, kind and outcome as their lower-case names.</summary>
public sealed class DeliveryRow
{
    public string SubscriptionId { get; set; } = "";
    public DateTime PeriodFrom { get; set; }
    public DateTime PeriodTo { get; set; }
    public string Recipient { get; set; } = "";
    public string Kind { get; set; } = "";
    public string MessageId { get; set; } = "";
    public string Outcome { get; set; } = "";
    public string? SmtpReply { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public string RunId { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// Each recipient's delivery of each period: at most one row per (subscription, period, recipient). A delivered row is
/// final: a later failure for the same key never overwrites it.
/// </summary>
public sealed class DeliveryTable(ServiceDatabase database)
{
    public const string Delivered = "delivered";

    public async Task UpsertAsync(DeliveryRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO cr_deliveries (subscription_id, period_from, period_to, recipient, kind, message_id, outcome, smtp_reply, attempts, error, run_id, updated_at)
            VALUES (@SubscriptionId, @PeriodFrom, @PeriodTo, @Recipient, @Kind, @MessageId, @Outcome, @SmtpReply, @Attempts, @Error, @RunId, @UpdatedAt)
            ON CONFLICT (subscription_id, period_from, period_to, recipient) DO UPDATE SET
                kind = excluded.kind, message_id = excluded.message_id, outcome = excluded.outcome, smtp_reply = excluded.smtp_reply,
                attempts = cr_deliveries.attempts + excluded.attempts, error = excluded.error, run_id = excluded.run_id, updated_at = excluded.updated_at
            WHERE cr_deliveries.outcome <> '{Delivered}'
            """, row, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DeliveryRow>> ListAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition("""
            SELECT subscription_id AS SubscriptionId, period_from AS PeriodFrom, period_to AS PeriodTo, recipient AS Recipient, kind AS Kind,
                   message_id AS MessageId, outcome AS Outcome, smtp_reply AS SmtpReply, attempts AS Attempts, error AS Error, run_id AS RunId,
                   updated_at AS UpdatedAt
            FROM cr_deliveries WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To ORDER BY recipient
            """, new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows];
    }
}
