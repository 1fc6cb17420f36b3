using CarrierReports.Rendering;
using CarrierReports.Templating;

namespace CarrierReports.Delivery;

/// <summary>One report mail for all of its recipients; each recipient gets a message of their own.</summary>
/// <param name="Key">Identifies the delivery; with a recipient address it fixes the Message-ID, so a resend is the same message.</param>
/// <param name="Content">Subject and bodies used when the attachments are sent.</param>
/// <param name="ContentWithoutAttachments">
/// Subject and bodies used instead when the attachments together exceed <see cref="MailOptions.MaxAttachmentBytes"/>;
/// they should say where the files can be fetched (the archive entry id).
/// </param>
/// <param name="Attachments">Files to attach, in order; their bytes go out unchanged.</param>
/// <param name="Date">The Date header; taken from the caller (e.g. the run's generated-at), not the clock, so bytes are reproducible.</param>
public sealed record MailRequest(
    DeliveryKey Key,
    MailRecipients Recipients,
    MailContent Content,
    MailContent ContentWithoutAttachments,
    IReadOnlyList<Artifact> Attachments,
    DateTimeOffset Date)
{
    /// <summary>Addresses (case-insensitive) that must not be sent to, because they already have this delivery.</summary>
    public IReadOnlySet<string>? Skip { get; init; }
}

/// <summary>The subscription and the exact UTC bounds of the period a mail reports on.</summary>
public sealed record DeliveryKey(string SubscriptionId, DateTimeOffset UtcFrom, DateTimeOffset UtcTo);

/// <summary>Addresses as configured. To and Cc appear in every message's headers; Bcc never does.</summary>
public sealed record MailRecipients(IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc)
{
    public static MailRecipients ToOnly(params string[] to) => new(to, [], []);
}

public enum RecipientKind
{
    To,
    Cc,
    Bcc,
}
