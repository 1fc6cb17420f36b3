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

    /// <summary>Space between a cell's edge and its text.</summary>
    public const double Padding = 3;

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
        var rows = new PdfTableRows(composer, columns);
        for (var i = 0; i < rowCount;)
        {
            var fits = 0;
            for (var y = composer.Y; i + fits < rowCount && PdfStyle.FooterTop - 8 - y - footnoteHeight >= RowHeight; y += RowHeight)
            {
                fits++;
            }

            if (fits == 0)
            {
                Footnote();
                composer.NewPage();
                StartPage(continued: true);
                continue;
            }

            rows.Draw(i, fits, RowHeight, fill, shaded);
            i += fits;
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
