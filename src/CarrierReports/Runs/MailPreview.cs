using CarrierReports.Delivery;

namespace CarrierReports.Runs;

/// <summary>
/// A report mail as a run would send it, rendered for one fire time and sent to nobody: subject and bodies exactly as
/// the templates render them, and each attachment with its size and SHA-256 (the bytes from <see cref="AttachmentPreview.Href"/>,
/// or inline as base64 with <c>attachmentContent=true</c>).
/// </summary>
/// <param name="AttachmentsOmitted">True when the files are over <c>Mail:MaxAttachmentBytes</c>: the mail would carry archive references instead.</param>
public sealed record MailPreview(DateTimeOffset FireTime, DateTimeOffset PeriodUtcFrom, DateTimeOffset PeriodUtcTo, string Subject, string HtmlBody,
    string TextBody, bool AttachmentsOmitted, IReadOnlyList<AttachmentPreview> Attachments, int ReportRows)
{
    public static MailPreview From(RenderedReport r, MailContent content, bool omitted, string hrefBase, bool withContent) =>
        new(r.FireTime, r.Key.UtcFrom, r.Key.UtcTo, content.Subject, content.HtmlBody, content.TextBody, omitted,
            [.. r.Attachments.Select(a => new AttachmentPreview(a.FileName, a.ContentType, a.Length, a.Sha256,
                $"{hrefBase}/{Uri.EscapeDataString(a.FileName)}?asOf={Uri.EscapeDataString(r.FireTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}",
                withContent ? Convert.ToBase64String(Bytes(a)) : null))],
            r.Report.Rows.Count);

    /// <summary>An attachment's bytes, for a preview that shows them (a mailed attachment is bounded by <c>Mail:MaxAttachmentBytes</c>).</summary>
    public static byte[] Bytes(Rendering.Artifact a)
    {
        using var stream = a.OpenRead();
        var bytes = new byte[checked((int)a.Length)];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>What a preview mail lists where a run would list the archive entry, which a preview does not create.</summary>
    public static IReadOnlyList<ArchiveReference> References(RenderedReport r) =>
        [.. r.Attachments.Select(a => new ArchiveReference(a.FileName, $"archive entry (assigned when the run stores it; SHA-256 {a.Sha256})"))];
}

/// <param name="Href">Where the bytes of this file are fetched (same method and body as the preview).</param>
/// <param name="ContentBase64">The bytes, only when asked for with <c>attachmentContent=true</c>.</param>
public sealed record AttachmentPreview(string FileName, string ContentType, long Bytes, string Sha256, string Href, string? ContentBase64);
