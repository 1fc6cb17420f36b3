using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace CarrierReports.Tests.Rendering.Pdf;

/// <summary>Reads a rendered PDF back as lines of words, top to bottom, the way a reader sees them.</summary>
internal sealed class PdfText
{
    private PdfText(byte[] bytes, IReadOnlyList<IReadOnlyList<IReadOnlyList<Word>>> pages)
    {
        Bytes = bytes;
        Pages = pages;
    }

    public byte[] Bytes { get; }

    /// <summary>Per page, its lines; per line, its words left to right.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<Word>>> Pages { get; }

    public static PdfText Read(byte[] bytes)
    {
        using var document = PdfDocument.Open(bytes);
        var pages = new List<IReadOnlyList<IReadOnlyList<Word>>>();
        foreach (var page in document.GetPages())
        {
            // Words of one table row share a baseline, whatever their font or alignment.
            var lines = page.GetWords()
                .GroupBy(w => Math.Round(w.Letters[0].StartBaseLine.Y, 1))
                .OrderByDescending(g => g.Key)
                .Select(g => (IReadOnlyList<Word>)g.OrderBy(w => w.BoundingBox.Left).ToList())
                .ToList();
            pages.Add(lines);
        }

        return new PdfText(bytes, pages);
    }

    public static string Join(IEnumerable<Word> words) => string.Join(' ', words.Select(w => w.Text));

    /// <summary>A page's lines as text, words separated by one space.</summary>
    public IReadOnlyList<string> Lines(int pageIndex) => Pages[pageIndex].Select(Join).ToList();

    public string PageText(int pageIndex) => string.Join('\n', Lines(pageIndex));
}
