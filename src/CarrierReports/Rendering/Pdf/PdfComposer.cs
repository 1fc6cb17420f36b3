using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// Holds the document being written and the drawing position on its current page. Sections ask for room with
/// <see cref="EnsureRoom"/>; page footers ("Page n of m") are added by <see cref="Finish"/> once the page count is known.
/// </summary>
internal sealed class PdfComposer(PdfDocument document, PdfStyle style, CancellationToken cancellationToken) : IDisposable
{
    private XGraphics? _gfx;

    public PdfStyle Style { get; } = style;

    /// <summary>The top of the free space on the current page.</summary>
    public double Y { get; set; }

    public XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page has been started.");

    public double Remaining => PdfStyle.FooterTop - 8 - Y;

    public void NewPage()
    {
        // A long hourly report has hundreds of pages; stop between pages when the caller gives up.
        cancellationToken.ThrowIfCancellationRequested();
        _gfx?.Dispose();
        _gfx = XGraphics.FromPdfPage(AddPage());
        Y = PdfStyle.Margin;
    }

    private PdfPage AddPage()
    {
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PdfStyle.PageWidth);
        page.Height = XUnit.FromPoint(PdfStyle.PageHeight);
        return page;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    /// <returns>True when a new page was started.</returns>
    public bool EnsureRoom(double height)
    {
        if (_gfx is not null && Remaining >= height)
        {
            return false;
        }

        NewPage();
        return true;
    }

    /// <summary>Draws one line of text with its top at <see cref="Y"/> and moves down by the line height.</summary>
    public void Line(string text, XFont font, XBrush brush, double x = PdfStyle.Left, double gapAfter = 2)
    {
        Gfx.DrawString(text, font, brush, x, Y, XStringFormats.TopLeft);
        Y += font.GetHeight() + gapAfter;
    }

    /// <summary>Draws text wrapped to <paramref name="width"/>, keeping the author's line breaks.</summary>
    public void Paragraph(string text, XFont font, XBrush brush, double width = PdfStyle.ContentWidth, double x = PdfStyle.Left)
    {
        foreach (var line in Wrap(Gfx, text, font, width))
        {
            EnsureRoom(font.GetHeight());
            Line(line, font, brush, x, 1);
        }
    }

    /// <summary>Splits text into lines no wider than <paramref name="width"/>; a single word that is too long gets its own line.</summary>
    public static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }

            lines.Add(current);
        }

        return lines;
    }

    /// <summary>Closes the last page and writes the running footer, now that the page count is known, on every page.</summary>
    public void Finish(string title, string generated)
    {
        _gfx?.Dispose();
        _gfx = null;
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var y = PdfStyle.FooterTop + 8;
            gfx.DrawLine(Style.RulePen, PdfStyle.Left, PdfStyle.FooterTop, PdfStyle.Right, PdfStyle.FooterTop);
            gfx.DrawString(title, Style.Small, Style.MutedBrush, PdfStyle.Left, y, XStringFormats.TopLeft);
            gfx.DrawString(generated, Style.Small, Style.MutedBrush, PdfStyle.PageWidth / 2, y, XStringFormats.TopCenter);
            gfx.DrawString($"Page {i + 1} of {count}", Style.Small, Style.MutedBrush, PdfStyle.Right, y, XStringFormats.TopRight);
        }
    }

    public void Dispose() => _gfx?.Dispose();
}
