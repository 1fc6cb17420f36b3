using PdfSharp.Fonts;

namespace CarrierReports.Rendering.Pdf;

/// <summary>Gives PDFsharp the shipped DejaVu Sans faces; any other family is unknown, so a typo fails loudly.</summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, PdfFonts.Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? PdfFonts.BoldFace : PdfFonts.RegularFace)
            : null;

    public byte[]? GetFont(string faceName) => PdfFonts.Face(faceName);
}
