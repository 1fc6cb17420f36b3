using ScottPlot;
using SkiaSharp;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// Gives ScottPlot the shipped DejaVu Sans faces. Without a registered font its Skia build draws no text at all, and
/// <c>Fonts.AddFontFile</c> needs a file path, which an embedded resource does not have.
/// </summary>
internal sealed class ChartFontResolver : IFontResolver
{
    private readonly Lazy<SKTypeface> _regular = new(() => Create(PdfFonts.RegularFace));
    private readonly Lazy<SKTypeface> _bold = new(() => Create(PdfFonts.BoldFace));

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        string.Equals(fontName, PdfFonts.Family, StringComparison.OrdinalIgnoreCase) ? (bold ? _bold.Value : _regular.Value) : null;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

    private static SKTypeface Create(string face) =>
        SKTypeface.FromData(SKData.CreateCopy(PdfFonts.Face(face)))
            ?? throw new InvalidOperationException($"Skia could not load the font '{face}'.");
}
