using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>Page geometry, fonts and colours of the PDF report (A4 landscape, points).</summary>
internal sealed class PdfStyle
{
    public const double PageWidth = 841.89;
    public const double PageHeight = 595.28;
    public const double Margin = 36;
    public const double Left = Margin;
    public const double Right = PageWidth - Margin;
    public const double ContentWidth = Right - Left;

    /// <summary>Where the running page footer starts; content stays above it.</summary>
    public const double FooterTop = PageHeight - 26;

    public XFont Title { get; } = new(PdfFonts.Family, 16, XFontStyleEx.Bold);
    public XFont Heading { get; } = new(PdfFonts.Family, 11, XFontStyleEx.Bold);
    public XFont Body { get; } = new(PdfFonts.Family, 9);
    public XFont BodyBold { get; } = new(PdfFonts.Family, 9, XFontStyleEx.Bold);
    public XFont Callout { get; } = new(PdfFonts.Family, 14, XFontStyleEx.Bold);
    public XFont Small { get; } = new(PdfFonts.Family, 7.5);
    public XFont Cell { get; } = new(PdfFonts.Family, 8);
    public XFont CellBold { get; } = new(PdfFonts.Family, 8, XFontStyleEx.Bold);
    public XFont CellNarrow { get; } = new(PdfFonts.Family, 6.5);
    public XFont ChartTick { get; } = new(PdfFonts.Family, 9);
    public XFont ChartTitle { get; } = new(PdfFonts.Family, 10);

    public static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
    public static readonly XColor Muted = XColor.FromArgb(100, 106, 115);
    public static readonly XColor Alarm = XColor.FromArgb(190, 30, 45);
    public static readonly XColor AlarmText = XColor.FromArgb(160, 0, 20);
    public static readonly XColor AlarmFill = XColor.FromArgb(253, 222, 224);
    public static readonly XColor Good = XColor.FromArgb(25, 110, 50);
    public static readonly XColor GoodFill = XColor.FromArgb(224, 242, 228);
    public static readonly XColor Neutral = XColor.FromArgb(236, 238, 241);
    public static readonly XColor HeaderFill = XColor.FromArgb(222, 228, 236);
    public static readonly XColor Zebra = XColor.FromArgb(246, 247, 249);
    public static readonly XColor Rule = XColor.FromArgb(190, 196, 204);

    public XBrush InkBrush { get; } = new XSolidBrush(Ink);
    public XBrush MutedBrush { get; } = new XSolidBrush(Muted);
    public XBrush AlarmBrush { get; } = new XSolidBrush(Alarm);
    public XBrush AlarmTextBrush { get; } = new XSolidBrush(AlarmText);
    public XBrush AlarmFillBrush { get; } = new XSolidBrush(AlarmFill);
    public XBrush GoodBrush { get; } = new XSolidBrush(Good);
    public XBrush GoodFillBrush { get; } = new XSolidBrush(GoodFill);
    public XBrush NeutralBrush { get; } = new XSolidBrush(Neutral);
    public XBrush HeaderBrush { get; } = new XSolidBrush(HeaderFill);
    public XBrush ZebraBrush { get; } = new XSolidBrush(Zebra);
    public XBrush WhiteBrush { get; } = new XSolidBrush(XColors.White);
    public XPen RulePen { get; } = new(Rule, 0.5);
    public XBrush RuleBrush { get; } = new XSolidBrush(Rule);
}
