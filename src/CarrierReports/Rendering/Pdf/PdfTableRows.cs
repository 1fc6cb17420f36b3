using System.Text;
using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// Draws one page's block of a <see cref="PdfTable"/>'s rows. An hourly month has 30,000 rows, so the cost per row
/// decides the render time, and PDFsharp's cost is per drawing call: each <c>DrawString</c> converts, measures and
/// positions its text on its own. Hence: all backgrounds, highlight fills and row rules of the page go out as three
/// rectangle lists before any text (no switching between graphics and text per row), and neighbouring right-aligned
/// cells of plain figures in the same font and colour are written as one string, their gaps filled with spaces.
/// </summary>
/// <remarks>
/// Merged cells stay where a cell of their own would put them: in DejaVu Sans digits are two spaces wide, comma and full
/// stop one (to a thousandth of an em), the figure columns are whole multiples of a space wide
/// (<see cref="FigureColumnWidth"/>), and a joined string is placed by its width as written in the PDF. A gap that the
/// spaces would miss by more than <see cref="Tolerance"/> is not joined.
/// </remarks>
internal sealed class PdfTableRows(PdfComposer composer, IReadOnlyList<PdfColumn> columns)
{
    private const double Tolerance = 0.1;
    private const string Figures = "0123456789,.";

    private readonly Dictionary<string, (string Text, XFont Font)> _fitted = new(StringComparer.Ordinal);
    private readonly StringBuilder _run = new();
    private double[]? _figureWidths;
    private double _space;
    private PdfCell[] _cells = [];
    private bool[] _shaded = [];

    /// <summary>The width nearest to <paramref name="approximate"/> that is a whole number of spaces of the cell font.</summary>
    public static double FigureColumnWidth(PdfComposer composer, double approximate)
    {
        var space = SpaceWidth(composer.Gfx, composer.Style.Cell);
        return Math.Round(approximate / space) * space;
    }

    /// <summary>Draws rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 from the composer's Y down.</summary>
    public void Draw(int first, int count, double rowHeight, Action<int, Span<PdfCell>> fill, Func<int, bool> shaded)
    {
        var n = columns.Count;
        if (_cells.Length < count * n)
        {
            _cells = new PdfCell[count * n];
            _shaded = new bool[count];
        }

        for (var r = 0; r < count; r++)
        {
            fill(first + r, _cells.AsSpan(r * n, n));
            _shaded[r] = shaded(first + r);
        }

        var top = composer.Y;
        Backgrounds(count, top, rowHeight);
        for (var r = 0; r < count; r++)
        {
            Text(_cells.AsSpan(r * n, n), top + r * rowHeight, rowHeight);
        }

        composer.Y = top + count * rowHeight;
    }

    private void Backgrounds(int count, double top, double rowHeight)
    {
        var style = composer.Style;
        var zebra = new List<XRect>();
        var alarm = new List<XRect>();
        var rules = new XRect[count];
        for (var r = 0; r < count; r++)
        {
            var y = top + r * rowHeight;
            if (_shaded[r])
            {
                zebra.Add(new XRect(PdfStyle.Left, y, PdfStyle.ContentWidth, rowHeight));
            }

            var x = PdfStyle.Left;
            for (var c = 0; c < columns.Count; c++)
            {
                if (_cells[r * columns.Count + c].Mark == PdfMark.Alarm)
                {
                    alarm.Add(new XRect(x, y, columns[c].Width, rowHeight));
                }

                x += columns[c].Width;
            }

            // The rule under the row, as a thin filled bar: one rectangle list instead of a stroked line per row.
            var half = style.RulePen.Width / 2;
            rules[r] = new XRect(PdfStyle.Left, y + rowHeight - half, PdfStyle.ContentWidth, 2 * half);
        }

        var gfx = composer.Gfx;
        if (zebra.Count > 0)
        {
            gfx.DrawRectangles(style.ZebraBrush, zebra.ToArray());
        }

        if (alarm.Count > 0)
        {
            gfx.DrawRectangles(style.AlarmFillBrush, alarm.ToArray());
        }

        gfx.DrawRectangles(style.RuleBrush, rules);
    }

    private void Text(ReadOnlySpan<PdfCell> cells, double y, double rowHeight)
    {
        var style = composer.Style;
        var gfx = composer.Gfx;
        var x = PdfStyle.Left;
        for (var c = 0; c < cells.Length; c++)
        {
            var column = columns[c];
            var cell = cells[c];
            var (font, brush) = cell.Mark switch
            {
                PdfMark.Alarm => (style.CellBold, style.AlarmTextBrush),
                PdfMark.Caution => (style.Cell, style.AlarmTextBrush),
                _ => (style.Cell, style.InkBrush),
            };
            var text = cell.Text;
            if (!column.AlignRight)
            {
                (text, font) = Fit(text, font, column.Width - 2 * PdfTable.Padding);
            }
            else if (cell.Mark == PdfMark.None && IsFigures(text))
            {
                (text, var last, var start) = Run(cells, c, x);
                if (last > c)
                {
                    gfx.DrawString(text, font, brush, new XRect(start, y, 1, rowHeight), XStringFormats.CenterLeft);
                    for (; c < last; c++)
                    {
                        x += columns[c].Width;
                    }

                    x += columns[c].Width;
                    continue;
                }
            }

            var rect = new XRect(x + PdfTable.Padding, y, column.Width - 2 * PdfTable.Padding, rowHeight);
            gfx.DrawString(text, font, brush, rect, column.AlignRight ? XStringFormats.CenterRight : XStringFormats.CenterLeft);
            x += column.Width;
        }
    }

    /// <summary>
    /// Joins the plain figure cells from column <paramref name="c"/> on into one string, each cell ending within
    /// <see cref="Tolerance"/> of its column's right edge; returns it with the last joined column and where it starts.
    /// </summary>
    private (string Text, int Last, double Start) Run(ReadOnlySpan<PdfCell> cells, int c, double x)
    {
        // Positions relative to the first cell's exact right edge, so that rounding to whole spaces never adds up.
        _run.Clear().Append(cells[c].Text);
        var start = x + columns[c].Width - PdfTable.Padding - FiguresWidth(cells[c].Text);
        var (target, end) = (0.0, 0.0);
        while (c + 1 < cells.Length && columns[c + 1].AlignRight && cells[c + 1].Mark == PdfMark.None && IsFigures(cells[c + 1].Text))
        {
            var next = cells[c + 1].Text;
            var nextWidth = FiguresWidth(next);
            var nextTarget = target + columns[c + 1].Width;
            var spaces = (int)Math.Round((nextTarget - nextWidth - end) / _space);
            var nextEnd = end + spaces * _space + nextWidth;
            if (spaces < 1 || Math.Abs(nextEnd - nextTarget) > Tolerance)
            {
                break;
            }

            _run.Append(' ', spaces).Append(next);
            (target, end) = (nextTarget, nextEnd);
            c++;
        }

        return (_run.ToString(), c, start);
    }

    private static bool IsFigures(string text) => text.Length > 0 && text.AsSpan().IndexOfAnyExcept(Figures) < 0;

    /// <summary>Width of a string of <see cref="Figures"/> in the cell font as a viewer lays it out, from a table made once.</summary>
    private double FiguresWidth(string text)
    {
        if (_figureWidths is null)
        {
            var gfx = composer.Gfx;
            var font = composer.Style.Cell;
            _space = SpaceWidth(gfx, font);
            _figureWidths = Figures.Select(f => AsWritten(gfx.MeasureString(f.ToString(), font).Width, font)).ToArray();
        }

        var width = 0.0;
        foreach (var ch in text)
        {
            width += _figureWidths[Figures.IndexOf(ch, StringComparison.Ordinal)];
        }

        return width;
    }

    private static double SpaceWidth(XGraphics gfx, XFont font) =>
        AsWritten(gfx.MeasureString("0 0", font).Width - gfx.MeasureString("00", font).Width, font);

    /// <summary>
    /// A glyph width as the PDF's font dictionary states it, in whole thousandths of an em (PDFsharp cuts off the
    /// fraction). Viewers place the glyphs by these, so a string of many spaces measured by the font file's own
    /// widths would end up to 0.7 pt short of where it was aimed.
    /// </summary>
    private static double AsWritten(double width, XFont font) => Math.Truncate(width / font.Size * 1000) * font.Size / 1000;

    /// <summary>
    /// Long route names first get a smaller font and only then are cut with "…", so the name stays whole wherever it
    /// can. Results are cached because the same few route names repeat on every page.
    /// </summary>
    private (string Text, XFont Font) Fit(string text, XFont font, double width)
    {
        if (font != composer.Style.Cell)
        {
            return (text, font);
        }

        if (_fitted.TryGetValue(text, out var hit))
        {
            return hit;
        }

        var gfx = composer.Gfx;
        var result = (text, font);
        if (gfx.MeasureString(text, font).Width > width)
        {
            var narrow = composer.Style.CellNarrow;
            var cut = text;
            while (cut.Length > 1 && gfx.MeasureString(cut == text ? cut : cut + "…", narrow).Width > width)
            {
                cut = cut[..^1];
            }

            result = (cut == text ? cut : cut + "…", narrow);
        }

        _fitted[text] = result;
        return result;
    }
}
