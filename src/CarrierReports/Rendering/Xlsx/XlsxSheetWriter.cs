using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CarrierReports.Rendering.Xlsx;

/// <summary>
/// Streams one worksheet with <see cref="OpenXmlWriter"/>, so a month of hourly rows never exists as a DOM. Cells are
/// typed: numbers are numeric cells, text is always a shared-string cell, and no formula is ever written. Rows must be
/// written in order, and cells within a row left to right.
/// </summary>
internal sealed class XlsxSheetWriter : IDisposable
{
    // Only element names are taken from these; attributes are passed separately so no per-cell objects are built.
    private static readonly Row RowElement = new();
    private static readonly Cell CellElement = new();
    private static readonly CellValue ValueElement = new();

    private static readonly string[] ShortNames = [.. Enumerable.Range(0, 26).Select(i => ((char)('A' + i)).ToString())];

    private readonly OpenXmlWriter _writer;
    private readonly XlsxSharedStrings _strings;
    private readonly List<OpenXmlAttribute> _attributes = new(3);
    private readonly int _lastColumn;
    private int _row;
    private string _rowText = "";
    private int _column;
    private bool _rowOpen;

    /// <param name="lastColumn">The sheet's last used column (1-based), for the <c>dimension</c> element.</param>
    /// <param name="lastRow">The sheet's last used row (1-based).</param>
    /// <param name="widths">Column widths in characters, from column A.</param>
    /// <param name="frozenRows">Rows kept in view when scrolling (0 for none).</param>
    public XlsxSheetWriter(WorksheetPart part, XlsxSharedStrings strings, int lastColumn, int lastRow, IReadOnlyList<double> widths, int frozenRows, bool selected)
    {
        _writer = OpenXmlWriter.Create(part);
        _strings = strings;
        _lastColumn = lastColumn;

        _writer.WriteStartElement(new Worksheet());
        _writer.WriteElement(new SheetDimension { Reference = "A1:" + Reference(lastColumn, Math.Max(lastRow, 1)) });

        var view = new SheetView { WorkbookViewId = 0, TabSelected = selected ? true : null };
        if (frozenRows > 0)
        {
            var topLeft = Reference(1, frozenRows + 1);
            view.Append(
                new Pane { VerticalSplit = frozenRows, TopLeftCell = topLeft, ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue> { InnerText = topLeft } });
        }

        _writer.WriteElement(new SheetViews(view));
        _writer.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
        var columns = new Columns();
        for (var i = 0; i < widths.Count; i++)
        {
            columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = widths[i], CustomWidth = true });
        }

        _writer.WriteElement(columns);
        _writer.WriteStartElement(new SheetData());
    }

    /// <summary>Starts the next row, or skips ahead to leave blank rows.</summary>
    public void Row(int row)
    {
        if (row <= _row)
        {
            throw new InvalidOperationException($"Row {row} is not after row {_row}.");
        }

        EndRow();
        _row = row;
        _rowText = row.ToString(CultureInfo.InvariantCulture);
        _column = 0;
        _writer.WriteStartElement(RowElement, [new OpenXmlAttribute("r", "", _rowText)]);
        _rowOpen = true;
    }

    /// <summary>Starts the row after the current one.</summary>
    public void NextRow(int skip = 0) => Row(_row + 1 + skip);

    /// <summary>A text cell; nothing for null, so a missing value stays an empty cell.</summary>
    public void Text(int column, string? text, uint style = XlsxStyles.Default)
    {
        if (text is null)
        {
            return;
        }

        StartCell(column, style, sharedString: true);
        _writer.WriteString(_strings.IndexOf(text).ToString(CultureInfo.InvariantCulture));
        EndCell();
    }

    public void Number(int column, double value, uint style)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A spreadsheet cell cannot hold a non-finite number.");
        }

        StartCell(column, style, sharedString: false);
        _writer.WriteString(value.ToString("R", CultureInfo.InvariantCulture));
        EndCell();
    }

    /// <summary>A numeric cell; nothing for null, so an undefined ratio is an empty cell rather than 0.</summary>
    public void Number(int column, decimal? value, uint style)
    {
        if (value is { } v)
        {
            Number(column, (double)v, style);
        }
    }

    public void Integer(int column, long value, uint style = XlsxStyles.Integer)
    {
        StartCell(column, style, sharedString: false);
        _writer.WriteString(value.ToString(CultureInfo.InvariantCulture));
        EndCell();
    }

    /// <summary>Closes the sheet data and writes the auto-filter and a "less than" highlight, when given.</summary>
    /// <param name="autoFilter">Range of the header row and the rows to filter, e.g. <c>A1:I745</c>.</param>
    /// <param name="lowValue">Cells to highlight when numeric and below <c>threshold</c>; blank cells never are.</param>
    public void Finish(string? autoFilter, (string Range, double Threshold)? lowValue)
    {
        EndRow();
        _writer.WriteEndElement(); // sheetData
        if (autoFilter is not null)
        {
            _writer.WriteElement(new AutoFilter { Reference = autoFilter });
        }

        if (lowValue is var (range, threshold))
        {
            // cellIs lessThan treats a blank as 0 and would paint every empty ratio red, so test ISNUMBER first.
            var first = range.Split(':')[0];
            var formula = $"AND(ISNUMBER({first}),{first}<{threshold.ToString("R", CultureInfo.InvariantCulture)})";
            var rule = new ConditionalFormattingRule(new Formula(formula)) { Type = ConditionalFormatValues.Expression, FormatId = XlsxStyles.LowAsrDxf, Priority = 1 };
            _writer.WriteElement(new ConditionalFormatting(rule) { SequenceOfReferences = new ListValue<StringValue> { InnerText = range } });
        }

        _writer.WriteElement(new PageMargins { Left = 0.7, Right = 0.7, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
        _writer.WriteEndElement(); // worksheet
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>An A1 reference, e.g. (3, 12) is <c>C12</c>.</summary>
    public static string Reference(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    public static string ColumnName(int column)
    {
        if (column <= ShortNames.Length && column >= 1)
        {
            return ShortNames[column - 1];
        }

        if (column is < 1 or > 16_384)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, "Excel columns are 1..16384.");
        }

        Span<char> buffer = stackalloc char[3];
        var i = buffer.Length;
        while (column > 0)
        {
            column--;
            buffer[--i] = (char)('A' + (column % 26));
            column /= 26;
        }

        return new string(buffer[i..]);
    }

    private void StartCell(int column, uint style, bool sharedString)
    {
        if (!_rowOpen || column <= _column || column > _lastColumn)
        {
            throw new InvalidOperationException($"Cell {column} of row {_row} is out of order or outside the sheet.");
        }

        _column = column;
        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", "", string.Concat(ColumnName(column), _rowText)));
        if (style != XlsxStyles.Default)
        {
            _attributes.Add(new OpenXmlAttribute("s", "", style.ToString(CultureInfo.InvariantCulture)));
        }

        if (sharedString)
        {
            _attributes.Add(new OpenXmlAttribute("t", "", "s"));
        }

        _writer.WriteStartElement(CellElement, _attributes);
        _writer.WriteStartElement(ValueElement);
    }

    private void EndCell()
    {
        _writer.WriteEndElement(); // v
        _writer.WriteEndElement(); // c
    }

    private void EndRow()
    {
        if (_rowOpen)
        {
            _writer.WriteEndElement();
            _rowOpen = false;
        }
    }
}
