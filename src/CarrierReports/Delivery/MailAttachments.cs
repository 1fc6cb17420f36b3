using CarrierReports.Rendering;

namespace CarrierReports.Delivery;

/// <summary>
/// Which of a report's rendered files a mail carries: all but the manifest. The manifest lists the files and their
/// hashes for the archive, so it is archived and never attached; the mail's "Attached" list and its MIME parts are
/// both taken from here, so the list names exactly what arrives.
/// </summary>
public static class MailAttachments
{
    public const string ManifestFormat = "manifest";

    public static IReadOnlyList<Artifact> Of(IEnumerable<Artifact> files) => [.. files.Where(a => a.Format != ManifestFormat)];
}
