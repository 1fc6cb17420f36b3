using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CarrierReports.Tests.Rendering.Xlsx;

/// <summary>Reads a rendered workbook back with the OpenXML SDK: cells by reference, shared strings resolved, number formats by code.</summary>
internal sealed class XlsxTestWorkbook : IDisposable
{
    // ECMA-376 §18.8.30 built-in formats the renderer uses.
    private static readonly Dictionary<uint, string> BuiltInFormats = new() { [0] = "General", [2] = "0.00", [3] = "#,##0", [10] = "0.00%" };

    private readonly MemoryStream _stream;

    public XlsxTestWorkbook(byte[] bytes)
    {
        _stream = new MemoryStream(bytes, writable: false);
        Document = SpreadsheetDocument.Open(_stream, isEditable: false);
    }

    public SpreadsheetDocument Document { get; }

    public WorkbookPart WorkbookPart => Document.WorkbookPart!;

    public IReadOnlyList<string> SheetNames => WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();

    public Worksheet Sheet(string name)
    {
        var sheet = WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)WorkbookPart.GetPartById(sheet.Id!)).Worksheet;
    }

    public static Cell? Cell(Worksheet sheet, string reference) =>
        sheet.Descendants<Cell>().SingleOrDefault(c => c.CellReference == reference);

    public static IReadOnlyList<Row> Rows(Worksheet sheet) => sheet.Descendants<Row>().ToList();

    /// <summary>The text of a shared-string cell; fails for any other kind of cell.</summary>
    public string Text(Cell cell)
    {
        Assert.Equal(CellValues.SharedString, cell.DataType?.Value);
        var index = int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
        return WorkbookPart.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(index).InnerText;
    }

    public string Text(Worksheet sheet, string reference) => Text(Cell(sheet, reference) ?? throw new Xunit.Sdk.XunitException($"no cell {reference}"));

    /// <summary>The value of a numeric cell; fails for a string cell.</summary>
    public static double Number(Cell cell)
    {
        Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{cell.CellReference} is not numeric");
        return double.Parse(cell.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static double Number(Worksheet sheet, string reference) => Number(Cell(sheet, reference) ?? throw new Xunit.Sdk.XunitException($"no cell {reference}"));

    public string NumberFormat(Cell cell)
    {
        var styles = WorkbookPart.WorkbookStylesPart!.Stylesheet;
        var xf = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        var id = xf.NumberFormatId?.Value ?? 0;
        var custom = styles.NumberingFormats?.Elements<NumberingFormat>().SingleOrDefault(f => f.NumberFormatId?.Value == id);
        return custom?.FormatCode?.Value ?? BuiltInFormats[id];
    }

    public string NumberFormat(Worksheet sheet, string reference) => NumberFormat(Cell(sheet, reference)!);

    public void Dispose()
    {
        Document.Dispose();
        _stream.Dispose();
    }
}
