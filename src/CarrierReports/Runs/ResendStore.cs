using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

/// <summary>One resend of a delivered period to one address, as recorded in <c>cr_resends</c>.</summary>
/// <param name="RunId">The run whose archived files were sent.</param>
/// <param name="OtherAddress">True when the address was not one the period had been delivered to (<c>allowOtherAddress</c>).</param>
/// <param name="Files">The files sent, e.g. <c>a.pdf sha256:…</c>, one per line.</param>
public sealed record ResendRecord(string ResendId, string RunId, string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string Recipient,
    bool OtherAddress, string MessageId, string Outcome, string? SmtpReply, int Attempts, string? Error, string Files, string Actor, DateTimeOffset SentAt);

/// <summary>
/// <c>cr_resends</c> and the ledger look-ups a resend needs. Resends live apart from <c>cr_deliveries</c>: that table says
/// who has had a period (exactly once); a resend is an extra copy on request and never changes it.
/// </summary>
public sealed class ResendStore(OperatorSchema schema)
{
    public async Task AddAsync(ResendRecord r, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cr_resends (resend_id, run_id, subscription_id, period_from, period_to, recipient, other_address, message_id, outcome,
                                    smtp_reply, attempts, error, files, actor, sent_at)
            VALUES (@ResendId, @RunId, @SubscriptionId, @PeriodFrom, @PeriodTo, @Recipient, @Other, @MessageId, @Outcome,
                    @SmtpReply, @Attempts, @Error, @Files, @Actor, @SentAt)
            """, new
        {
            r.ResendId, r.RunId, r.SubscriptionId, PeriodFrom = r.PeriodFrom.UtcDateTime, PeriodTo = r.PeriodTo.UtcDateTime, r.Recipient,
            Other = r.OtherAddress ? 1 : 0, r.MessageId, r.Outcome, r.SmtpReply, r.Attempts, r.Error, r.Files, r.Actor, SentAt = r.SentAt.UtcDateTime,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Every resend of the period, oldest first.</summary>
    public async Task<IReadOnlyList<ResendRecord>> ListAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT resend_id AS ResendId, run_id AS RunId, subscription_id AS SubscriptionId, period_from AS PeriodFrom, period_to AS PeriodTo,
                   recipient AS Recipient, other_address AS OtherAddress, message_id AS MessageId, outcome AS Outcome, smtp_reply AS SmtpReply,
                   attempts AS Attempts, error AS Error, files AS Files, actor AS Actor, sent_at AS SentAt
            FROM cr_resends WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To ORDER BY sent_at, resend_id
            """, new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ResendRecord(r.ResendId, r.RunId, r.SubscriptionId, Instants.FromDb(r.PeriodFrom), Instants.FromDb(r.PeriodTo),
            r.Recipient, r.OtherAddress != 0, r.MessageId, r.Outcome, r.SmtpReply, r.Attempts, r.Error, r.Files, r.Actor, Instants.FromDb(r.SentAt)))];
    }

    /// <summary>
    /// The latest run of the period that archived files (a re-run that found every recipient served archives nothing);
    /// null when none did.
    /// </summary>
    public async Task<string?> ArchivingRunAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT r.run_id FROM cr_runs r
            WHERE r.subscription_id = @Sub AND r.period_from = @From AND r.period_to = @To
              AND EXISTS (SELECT 1 FROM cr_run_artifacts a WHERE a.run_id = r.run_id AND a.archive_id IS NOT NULL)
            ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1
            """, new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>The latest run of the subscription whose period starts at <paramref name="from"/>; null when there is none.</summary>
    public async Task<string?> RunOfPeriodAsync(string subscriptionId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT run_id FROM cr_runs WHERE subscription_id = @Sub AND period_from = @From ORDER BY started_at DESC, run_id DESC LIMIT 1",
            new { Sub = subscriptionId, From = from.UtcDateTime }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string ResendId { get; set; } = "";
        public string RunId { get; set; } = "";
        public string SubscriptionId { get; set; } = "";
        public DateTime PeriodFrom { get; set; }
        public DateTime PeriodTo { get; set; }
        public string Recipient { get; set; } = "";
        public long OtherAddress { get; set; }
        public string MessageId { get; set; } = "";
        public string Outcome { get; set; } = "";
        public string? SmtpReply { get; set; }
        public int Attempts { get; set; }
        public string? Error { get; set; }
        public string Files { get; set; } = "";
        public string Actor { get; set; } = "";
        public DateTime SentAt { get; set; }
    }
}
