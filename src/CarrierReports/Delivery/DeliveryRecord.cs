namespace CarrierReports.Delivery;

/// <summary>One recipient's delivery of one period. At most one per (subscription, period, recipient).</summary>
public sealed record DeliveryRecord(string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string Recipient, RecipientKind Kind,
    string MessageId, DeliveryOutcome Outcome, string? SmtpReply, int Attempts, string? Error, string RunId, DateTimeOffset UpdatedAt);

/// <summary>The names stored in the ledger and printed by the command line: to, cc, bcc; delivered, failed.</summary>
public static class DeliveryNames
{
    public static string Name(this RecipientKind kind) => kind switch
    {
        RecipientKind.To => "to",
        RecipientKind.Cc => "cc",
        RecipientKind.Bcc => "bcc",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(this DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => "delivered",
        DeliveryOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static RecipientKind ParseKind(string text) =>
        Enum.GetValues<RecipientKind>().Where(k => k.Name() == text).Select(k => (RecipientKind?)k).FirstOrDefault()
        ?? throw new InvalidOperationException($"cr_deliveries: '{text}' is not a recipient kind");

    public static DeliveryOutcome ParseOutcome(string text) =>
        Enum.GetValues<DeliveryOutcome>().Where(o => o.Name() == text).Select(o => (DeliveryOutcome?)o).FirstOrDefault()
        ?? throw new InvalidOperationException($"cr_deliveries: '{text}' is not a delivery outcome");
}
