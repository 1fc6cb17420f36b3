using CarrierReports.Rendering;

namespace CarrierReports.Delivery;

/// <summary>One report mail for all of its recipients; each recipient gets a message of their own.</summary>
public sealed record MailRequest
{
    /// <param name="key">Identifies the delivery; with a recipient address it fixes the Message-ID, so a resend is the same message.</param>
    /// <param name="content">Subject and bodies used when the attachments are sent.</param>
    /// <param name="contentWithoutAttachments">
    /// Subject and bodies used instead when the attachments together exceed <see cref="MailOptions.MaxAttachmentBytes"/>;
    /// they should say where the files can be fetched (the archive entry id). Called only then.
    /// </param>
    /// <param name="attachments">Files to attach, in order; their bytes go out unchanged.</param>
    /// <param name="date">The Date header; taken from the caller (e.g. the run's generated-at), not the clock, so bytes are reproducible.</param>
    public MailRequest(DeliveryKey key, MailRecipients recipients, MailContent content, Func<MailContent> contentWithoutAttachments,
        IReadOnlyList<Artifact> attachments, DateTimeOffset date)
    {
        Key = key;
        Recipients = recipients;
        Content = content;
        ContentWithoutAttachments = contentWithoutAttachments;
        Attachments = attachments;
        Date = date;
    }

    /// <summary>A request whose alternative content is already rendered.</summary>
    public MailRequest(DeliveryKey key, MailRecipients recipients, MailContent content, MailContent contentWithoutAttachments,
        IReadOnlyList<Artifact> attachments, DateTimeOffset date)
        : this(key, recipients, content, () => contentWithoutAttachments, attachments, date)
    {
    }

    public DeliveryKey Key { get; init; }

    public MailRecipients Recipients { get; init; }

    public MailContent Content { get; init; }

    /// <summary>Renders the content for a mail whose attachments are over the size limit; not called otherwise.</summary>
    public Func<MailContent> ContentWithoutAttachments { get; init; }

    public IReadOnlyList<Artifact> Attachments { get; init; }

    public DateTimeOffset Date { get; init; }

    /// <summary>Addresses (case-insensitive) that must not be sent to, because they already have this delivery.</summary>
    public IReadOnlySet<string>? Skip { get; init; }

    /// <summary>
    /// What the mail is; part of its Message-ID. Default <c>report</c> (a run's delivery). A test send or a resend names
    /// itself, so its Message-ID never equals the report's and a receiver never drops the real report as a duplicate.
    /// </summary>
    public string Purpose { get; init; } = "report";

    /// <summary>Headers added to every message, e.g. the mark of a test send. Default none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
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
