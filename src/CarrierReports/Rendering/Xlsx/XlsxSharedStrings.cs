using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CarrierReports.Rendering.Xlsx;

/// <summary>
/// The workbook's shared string table. A route name repeats in every bucket of the Data sheet, so storing it once keeps
/// the file small; text cells are always string cells, which is what keeps a route such as <c>=cmd|...</c> inert.
/// </summary>
internal sealed class XlsxSharedStrings
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _items = [];

    /// <summary>How many string cells reference the table (the <c>count</c> attribute).</summary>
    public int References { get; private set; }

    public int IndexOf(string text)
    {
        References++;
        if (!_index.TryGetValue(text, out var i))
        {
            i = _items.Count;
            _index.Add(text, i);
            _items.Add(text);
        }

        return i;
    }

    public void WriteTo(SharedStringTablePart part)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new SharedStringTable(), [new OpenXmlAttribute("count", "", References.ToString(System.Globalization.CultureInfo.InvariantCulture)), new OpenXmlAttribute("uniqueCount", "", _items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        foreach (var item in _items)
        {
            var text = new Text(Escape(item));
            if (item.Length > 0 && (char.IsWhiteSpace(item[0]) || char.IsWhiteSpace(item[^1])))
            {
                text.Space = SpaceProcessingModeValues.Preserve;
            }

            writer.WriteElement(new SharedStringItem(text));
        }

        writer.WriteEndElement();
    }

    /// <summary>
    /// Encodes text for an ST_Xstring: characters XML cannot carry (control characters, lone surrogates) become
    /// <c>_xHHHH_</c>, and an underscore that would otherwise read as such an escape is itself escaped as <c>_x005F_</c>,
    /// so Excel shows exactly the original text. Route names come from CDRs, so nothing about them can be assumed.
    /// </summary>
    internal static string Escape(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = null;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if ((c < 0x20 && c is not '\t' and not '\n' and not '\r') || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                replacement = $"_x{(int)c:X4}_";
            }
            else if (c == '_' && LooksLikeEscape(text, i))
            {
                replacement = "_x005F_";
            }

            if (replacement is null)
            {
                sb?.Append(c);
                continue;
            }

            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            sb.Append(replacement);
        }

        return sb?.ToString() ?? text;
    }

    private static bool LooksLikeEscape(string text, int i) =>
        i + 6 < text.Length && text[i + 1] is 'x' or 'X' && text[i + 6] == '_' && char.IsAsciiHexDigit(text[i + 2])
        && char.IsAsciiHexDigit(text[i + 3]) && char.IsAsciiHexDigit(text[i + 4]) && char.IsAsciiHexDigit(text[i + 5]);
}
