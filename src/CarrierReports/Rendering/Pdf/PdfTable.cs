using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>A table column: header text, width in points, numbers right-aligned.</summary>
internal sealed record PdfColumn(string Header, double Width, bool AlignRight);

/// <summary>How strongly a cell is flagged.</summary>
internal enum PdfMark
{
    None,

    /// <summary>Red text only: a bad figure from too few calls to be sure of.</summary>
    Caution,

    /// <summary>Red fill and bold red text: a bad figure that counts.</summary>
    Alarm,
}

/// <summary>One cell's text and how it is flagged.</summary>
internal readonly record struct PdfCell(string Text, PdfMark Mark = PdfMark.None);

/// <summary>
/// Draws a table that flows over as many pages as it needs, with its title and column header repeated at the top of
/// every page and its footnote at the bottom of every page. Rows have one fixed height so paging is a subtraction.
/// </summary>
internal sealed class PdfTable(PdfComposer composer, string title, IReadOnlyList<PdfColumn> columns, string? footnote)
{
    private const double RowHeight = 12.5;
    private const double HeaderHeight = 15;
    private const double Padding = 3;

    private readonly Dictionary<string, (string Text, XFont Font)> _fitted = new(StringComparer.Ordinal);

    /// <param name="rowCount">Rows to draw.</param>
    /// <param name="fill">Writes row <c>i</c>'s cells into the span (one per column).</param>
    /// <param name="shaded">Whether row <c>i</c> gets the zebra background (e.g. every other bucket).</param>
    public void Draw(int rowCount, Action<int, Span<PdfCell>> fill, Func<int, bool> shaded)
    {
        var style = composer.Style;
        var footnoteHeight = footnote is null ? 0 : style.Small.GetHeight() + 4;
        var titleHeight = style.Heading.GetHeight() + 4;
        if (composer.Remaining < titleHeight + HeaderHeight + 3 * RowHeight + footnoteHeight)
        {
            composer.NewPage();
        }

        StartPage(continued: false);
        var cells = new PdfCell[columns.Count];
        for (var i = 0; i < rowCount; i++)
        {
            if (composer.Remaining - footnoteHeight < RowHeight)
            {
                Footnote();
                composer.NewPage();
                StartPage(continued: true);
            }

            fill(i, cells);
            DrawRow(cells, shaded(i));
        }

        Footnote();
    }

    private void StartPage(bool continued)
    {
        var style = composer.Style;
        composer.Line(continued ? title + " (continued)" : title, style.Heading, style.InkBrush, gapAfter: 4);
        var gfx = composer.Gfx;
        var y = composer.Y;
        gfx.DrawRectangle(style.HeaderBrush, PdfStyle.Left, y, PdfStyle.ContentWidth, HeaderHeight);
        var x = PdfStyle.Left;
        foreach (var column in columns)
        {
            var rect = new XRect(x + Padding, y, column.Width - 2 * Padding, HeaderHeight);
            gfx.DrawString(column.Header, style.CellBold, style.InkBrush, rect, column.AlignRight ? XStringFormats.CenterRight : XStringFormats.CenterLeft);
            x += column.Width;
        }

        composer.Y = y + HeaderHeight;
    }

    private void DrawRow(ReadOnlySpan<PdfCell> cells, bool shaded)
    {
        var style = composer.Style;
        var gfx = composer.Gfx;
        var y = composer.Y;
        if (shaded)
        {
            gfx.DrawRectangle(style.ZebraBrush, PdfStyle.Left, y, PdfStyle.ContentWidth, RowHeight);
        }

        var x = PdfStyle.Left;
        for (var c = 0; c < cells.Length; c++)
        {
            var column = columns[c];
            var cell = cells[c];
            var font = style.Cell;
            var brush = style.InkBrush;
            if (cell.Mark == PdfMark.Alarm)
            {
                gfx.DrawRectangle(style.AlarmFillBrush, x, y, column.Width, RowHeight);
                font = style.CellBold;
                brush = style.AlarmTextBrush;
            }
            else if (cell.Mark == PdfMark.Caution)
            {
                brush = style.AlarmTextBrush;
            }

            var text = cell.Text;
            if (!column.AlignRight)
            {
                (text, font) = Fit(text, font, column.Width - 2 * Padding);
            }

            var rect = new XRect(x + Padding, y, column.Width - 2 * Padding, RowHeight);
            gfx.DrawString(text, font, brush, rect, column.AlignRight ? XStringFormats.CenterRight : XStringFormats.CenterLeft);
            x += column.Width;
        }

        gfx.DrawLine(style.RulePen, PdfStyle.Left, y + RowHeight, PdfStyle.Right, y + RowHeight);
        composer.Y = y + RowHeight;
    }

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

    private void Footnote()
    {
        if (footnote is null)
        {
            return;
        }

        var style = composer.Style;
        composer.Gfx.DrawString(footnote, style.Small, style.MutedBrush, PdfStyle.Left, composer.Y + 3, XStringFormats.TopLeft);
        composer.Y += style.Small.GetHeight() + 4;
    }
}
