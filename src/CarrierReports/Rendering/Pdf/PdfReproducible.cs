using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// Makes a saved PDF depend only on its content. PDFsharp picks a random six-letter tag for each embedded font subset
/// (<c>/ZKTEMK+DejaVu</c>) a random trailer <c>/ID</c> and random XMP document and instance uuids; both are replaced here with values derived from the
/// document, so the same report gives the same bytes (a repeated run is recognisably the same report). Replacements
/// keep every length, so the cross-reference offsets stay valid. Dates come from the report, set before saving.
/// </summary>
internal static partial class PdfReproducible
{
    public static byte[] Normalize(byte[] pdf)
    {
        // Latin-1 maps every byte to one char and back, so binary streams survive the round trip unchanged.
        var text = Encoding.Latin1.GetString(pdf);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        text = SubsetTag().Replace(text, m =>
        {
            if (!tags.TryGetValue(m.Groups[1].Value, out var tag))
            {
                tag = "CRPDF" + (char)('A' + tags.Count % 26);
                tags.Add(m.Groups[1].Value, tag);
            }

            return "/" + tag + "+";
        });

        // The trailer /ID and the XMP metadata's document and instance uuids: zeroed, hashed, then set from the hash.
        var zeroId = new string('0', 32);
        const string zeroUuid = "uuid:00000000-0000-0000-0000-000000000000";
        text = DocumentId().Replace(text, $"/ID[<{zeroId}><{zeroId}>]");
        text = XmpUuid().Replace(text, zeroUuid);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.Latin1.GetBytes(text)));
        text = text.Replace($"/ID[<{zeroId}><{zeroId}>]", $"/ID[<{hash[..32]}><{hash[..32]}>]", StringComparison.Ordinal);
        text = text.Replace(zeroUuid, "uuid:" + new Guid(Convert.FromHexString(hash[32..])).ToString("D"), StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text);
    }

    [GeneratedRegex(@"/([A-Z]{6})\+")]
    private static partial Regex SubsetTag();

    [GeneratedRegex(@"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex XmpUuid();

    [GeneratedRegex(@"/ID\s*\[\s*<[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>\s*\]")]
    private static partial Regex DocumentId();
}
