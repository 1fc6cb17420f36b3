using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CarrierReports.Rendering.Xlsx;

/// <summary>The workbook's cell styles; the constants are indexes into <c>cellXfs</c> and must follow its order.</summary>
internal static class XlsxStyles
{
    public const uint Default = 0;
    public const uint Header = 1;
    public const uint DateTime = 2;
    public const uint Integer = 3;
    public const uint Percent = 4;
    public const uint Decimal2 = 5;
    public const uint Duration = 6;
    public const uint Title = 7;
    public const uint Bold = 8;
    public const uint ChangePoints = 9;
    public const uint ChangePercent = 10;
    public const uint ChangeInteger = 11;
    public const uint ChangeDecimal = 12;

    /// <summary>Index of the differential format (red fill) used by the low-ASR conditional format.</summary>
    public const uint LowAsrDxf = 0;

    public const string DateTimeFormat = "yyyy-mm-dd hh:mm";
    public const string DurationFormat = "[m]:ss";

    // Built-in number formats (ECMA-376 §18.8.30) need no numFmt entry.
    private const uint BuiltInDecimal2 = 2;   // 0.00
    private const uint BuiltInInteger = 3;    // #,##0
    private const uint BuiltInPercent = 10;   // 0.00%

    public static Stylesheet Create()
    {
        const uint dateTime = 164, duration = 165, points = 166, changePct = 167, changeInt = 168, changeDec = 169;
        var numberFormats = new NumberingFormats(
            new NumberingFormat { NumberFormatId = dateTime, FormatCode = DateTimeFormat },
            new NumberingFormat { NumberFormatId = duration, FormatCode = DurationFormat },
            new NumberingFormat { NumberFormatId = points, FormatCode = "+0.00\" pp\";-0.00\" pp\";0.00\" pp\"" },
            new NumberingFormat { NumberFormatId = changePct, FormatCode = "+0.00%;-0.00%;0.00%" },
            new NumberingFormat { NumberFormatId = changeInt, FormatCode = "+#,##0;-#,##0;0" },
            new NumberingFormat { NumberFormatId = changeDec, FormatCode = "+0.00;-0.00;0.00" })
        { Count = 6 };

        var fonts = new Fonts(
            Font(11, bold: false),
            Font(11, bold: true),
            Font(14, bold: true))
        { Count = 3 };

        // Fills 0 and 1 are reserved by Excel (none, gray125) whatever they contain.
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9E1F2" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }))
        { Count = 3 };

        var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 };
        var styleFormats = new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 };

        var cellFormats = new CellFormats(
            Xf(0),                                     // Default
            Xf(0, fontId: 1, fillId: 2),               // Header
            Xf(dateTime),                              // DateTime
            Xf(BuiltInInteger),                        // Integer
            Xf(BuiltInPercent),                        // Percent
            Xf(BuiltInDecimal2),                       // Decimal2
            Xf(duration),                              // Duration
            Xf(0, fontId: 2),                          // Title
            Xf(0, fontId: 1),                          // Bold
            Xf(points),                                // ChangePoints
            Xf(changePct),                             // ChangePercent
            Xf(changeInt),                             // ChangeInteger
            Xf(changeDec))                             // ChangeDecimal
        { Count = 13 };

        var cellStyles = new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 };

        // Excel's "light red fill with dark red text"; in a differential format a solid fill takes its colour from bgColor.
        var lowAsr = new DifferentialFormat(
            new Font(new Color { Rgb = "FF9C0006" }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFC7CE" }, new BackgroundColor { Rgb = "FFFFC7CE" }) { PatternType = PatternValues.Solid }));
        var dxfs = new DifferentialFormats(lowAsr) { Count = 1 };

        return new Stylesheet(numberFormats, fonts, fills, borders, styleFormats, cellFormats, cellStyles, dxfs);
    }

    private static Font Font(double size, bool bold)
    {
        var font = new Font();
        if (bold)
        {
            font.Append(new Bold());
        }

        font.Append(new FontSize { Val = size }, new FontName { Val = "Calibri" }, new FontFamilyNumbering { Val = 2 });
        return font;
    }

    private static CellFormat Xf(uint numberFormatId, uint fontId = 0, uint fillId = 0) => new()
    {
        NumberFormatId = numberFormatId,
        FontId = fontId,
        FillId = fillId,
        BorderId = 0,
        FormatId = 0,
        ApplyNumberFormat = numberFormatId != 0 ? BooleanValue.FromBoolean(true) : null,
        ApplyFont = fontId != 0 ? BooleanValue.FromBoolean(true) : null,
        ApplyFill = fillId != 0 ? BooleanValue.FromBoolean(true) : null,
    };
}
