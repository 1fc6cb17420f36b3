namespace CarrierReports.Delivery;

public enum DeliveryOutcome
{
    Delivered,
    Failed,
}

/// <summary>What happened to one recipient's message.</summary>
/// <param name="Reply">The server's last reply (e.g. <c>250 2.0.0 Ok</c> or the 550 text); null when none was received.</param>
/// <param name="MessageId">With angle brackets, as in the header.</param>
/// <param name="LastError">Why the last failed attempt failed; null when the first attempt succeeded.</param>
public sealed record RecipientResult(
    string Address,
    RecipientKind Kind,
    DeliveryOutcome Outcome,
    string? Reply,
    string MessageId,
    int Attempts,
    string? LastError);

/// <summary>The outcome of one <see cref="MailRequest"/>, one entry per distinct recipient.</summary>
/// <param name="AttachmentsOmitted">True when the files were over the size limit and the alternative content was sent.</param>
/// <param name="AttachmentBytes">Total size of the request's attachments.</param>
public sealed record DeliveryResult(IReadOnlyList<RecipientResult> Recipients, bool AttachmentsOmitted, long AttachmentBytes)
{
    public bool AllDelivered => Recipients.All(r => r.Outcome == DeliveryOutcome.Delivered);

    public IEnumerable<RecipientResult> Failed => Recipients.Where(r => r.Outcome == DeliveryOutcome.Failed);
}
