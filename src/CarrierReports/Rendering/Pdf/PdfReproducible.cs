using System.Security.Cryptography;
using System.Text;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// Makes a saved PDF depend only on its content. PDFsharp picks a random six-letter tag for each embedded font subset
/// (<c>/ZKTEMK+DejaVu</c>), a random trailer <c>/ID</c> and random XMP document and instance uuids; all are replaced here,
/// in place, with values derived from the document, so the same report gives the same bytes (a repeated run is
/// recognisably the same report). Every replacement has the length of what it replaces, so the cross-reference offsets
/// stay valid. Dates come from the report, set before saving.
/// </summary>
/// <remarks>
/// Works on the bytes with vectorised searches for the few markers rather than a regular expression over a Latin-1 copy
/// of the whole file: an hourly month is 2.4 MB, and the copy and scan cost more than the rest of the saving.
/// </remarks>
internal static class PdfReproducible
{
    private const int HexIdLength = 32;
    private const int UuidLength = 36;

    /// <summary>Where the value after a marker at <c>at</c> lies, or null when it is not the expected value.</summary>
    private delegate List<(int At, int Length)>? Digits(ReadOnlySpan<byte> pdf, int at);

    /// <summary>Normalises <paramref name="pdf"/> in place.</summary>
    public static void Normalize(Span<byte> pdf)
    {
        RenameSubsets(pdf);

        // The trailer /ID and the XMP metadata's uuids: zeroed, the whole file hashed, then set from the hash.
        var ids = Find(pdf, "/ID"u8, IdDigits);
        var uuids = Find(pdf, "uuid:"u8, UuidDigits);
        foreach (var (at, length) in ids.Concat(uuids))
        {
            for (var i = at; i < at + length; i++)
            {
                pdf[i] = pdf[i] == (byte)'-' ? (byte)'-' : (byte)'0';
            }
        }

        var hash = Convert.ToHexString(SHA256.HashData(pdf));
        var id = Encoding.ASCII.GetBytes(hash[..HexIdLength]);
        var uuid = Encoding.ASCII.GetBytes(new Guid(Convert.FromHexString(hash[HexIdLength..])).ToString("D"));
        foreach (var (at, _) in ids)
        {
            id.CopyTo(pdf[at..]);
        }

        foreach (var (at, _) in uuids)
        {
            uuid.CopyTo(pdf[at..]);
        }
    }

    /// <summary>Replaces each subset tag (<c>/ABCDEF+DejaVu…</c>) with CRPDFA, CRPDFB, … in order of first appearance.</summary>
    private static void RenameSubsets(Span<byte> pdf)
    {
        var tags = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var from = 0;
        int hit;
        while ((hit = pdf[from..].IndexOf("+DejaVu"u8)) >= 0)
        {
            var plus = from + hit;
            from = plus + 1;
            if (plus < 7 || pdf[plus - 7] != (byte)'/' || !IsTag(pdf.Slice(plus - 6, 6)))
            {
                continue;
            }

            var tag = pdf.Slice(plus - 6, 6);
            var key = Encoding.ASCII.GetString(tag);
            if (!tags.TryGetValue(key, out var replacement))
            {
                replacement = Encoding.ASCII.GetBytes("CRPDF" + (char)('A' + tags.Count % 26));
                tags.Add(key, replacement);
            }

            replacement.CopyTo(tag);
        }
    }

    private static bool IsTag(ReadOnlySpan<byte> tag)
    {
        foreach (var b in tag)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every occurrence of <paramref name="marker"/> that <paramref name="digits"/> accepts: where its value starts and how long it is.</summary>
    private static List<(int At, int Length)> Find(ReadOnlySpan<byte> pdf, ReadOnlySpan<byte> marker, Digits digits)
    {
        var found = new List<(int At, int Length)>();
        var from = 0;
        int hit;
        while ((hit = pdf[from..].IndexOf(marker)) >= 0)
        {
            var after = from + hit + marker.Length;
            from = after;
            if (digits(pdf, after) is { } values)
            {
                found.AddRange(values);
            }
        }

        return found;
    }

    /// <summary><c>/ID [&lt;32 hex&gt; &lt;32 hex&gt;]</c>, whitespace allowed between the parts: both hex strings.</summary>
    private static List<(int At, int Length)>? IdDigits(ReadOnlySpan<byte> pdf, int at)
    {
        var values = new List<(int At, int Length)>();
        at = SkipSpace(pdf, at);
        if (at >= pdf.Length || pdf[at] != (byte)'[')
        {
            return null;
        }

        for (var k = 0; k < 2; k++)
        {
            at = SkipSpace(pdf, at + 1);
            if (at + HexIdLength + 1 >= pdf.Length || pdf[at] != (byte)'<' || !IsHex(pdf.Slice(at + 1, HexIdLength)) || pdf[at + 1 + HexIdLength] != (byte)'>')
            {
                return null;
            }

            values.Add((at + 1, HexIdLength));
            at += HexIdLength + 1;
        }

        return values;
    }

    /// <summary>A uuid in its 8-4-4-4-12 form right after <c>uuid:</c>.</summary>
    private static List<(int At, int Length)>? UuidDigits(ReadOnlySpan<byte> pdf, int at)
    {
        if (at + UuidLength > pdf.Length)
        {
            return null;
        }

        var text = pdf.Slice(at, UuidLength);
        for (var i = 0; i < UuidLength; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? text[i] != (byte)'-' : !IsHex(text.Slice(i, 1)))
            {
                return null;
            }
        }

        return [(at, UuidLength)];
    }

    private static int SkipSpace(ReadOnlySpan<byte> pdf, int at)
    {
        while (at < pdf.Length && pdf[at] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            at++;
        }

        return at;
    }

    private static bool IsHex(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept("0123456789abcdefABCDEF"u8) < 0;
}
