using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace CarrierReports.Rendering.Xlsx;

/// <summary>
/// Copies a workbook package so that it depends only on its content: System.IO.Packaging names the core-properties
/// part after a random GUID, the OpenXML SDK gives relationships random ids (<c>R4d2a181af9c642ad</c>), and every zip
/// entry carries the wall-clock time. Ids become <c>rId1</c>, <c>rId2</c>, ... in order of first appearance (the writer's
/// order is fixed), the part is called <c>core.psmdcp</c>, and every entry is stamped with the report's time.
/// </summary>
internal static partial class XlsxReproducible
{
    /// <summary>The only parts that hold relationship ids or the core part's name; data parts (where a route could be called <c>R0123456789abcdef</c>) are copied byte for byte.</summary>
    private static bool HoldsIds(string name) =>
        name.EndsWith(".rels", StringComparison.Ordinal) || name is "xl/workbook.xml" or "[Content_Types].xml";

    /// <summary>The earliest time a zip entry can carry (DOS dates start in 1980).</summary>
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task CopyAsync(Stream package, Stream output, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var time = new DateTimeOffset(stamp.UtcDateTime < ZipEpoch.UtcDateTime ? ZipEpoch.UtcDateTime : stamp.UtcDateTime, TimeSpan.Zero);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(Match m)
        {
            if (!ids.TryGetValue(m.Value, out var id))
            {
                id = "rId" + (ids.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ids.Add(m.Value, id);
            }

            return id;
        }

        using var source = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        await using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var copy = target.CreateEntry(CorePart().Replace(entry.FullName, "core.psmdcp"), CompressionLevel.Fastest);
            copy.LastWriteTime = time;
            await using var from = await entry.OpenAsync(cancellationToken);
            await using var to = await copy.OpenAsync(cancellationToken);
            if (!HoldsIds(entry.FullName))
            {
                await from.CopyToAsync(to, cancellationToken);
                continue;
            }

            using var reader = new StreamReader(from, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            var text = await reader.ReadToEndAsync(cancellationToken);
            text = CorePart().Replace(RelationshipId().Replace(text, Id), "core.psmdcp");
            await to.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])R[0-9a-f]{16}(?![0-9A-Za-z])")]
    private static partial Regex RelationshipId();

    [GeneratedRegex(@"[0-9a-f]{32}\.psmdcp")]
    private static partial Regex CorePart();
}
