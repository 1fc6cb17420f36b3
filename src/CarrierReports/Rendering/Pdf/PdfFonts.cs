using PdfSharp.Fonts;

namespace CarrierReports.Rendering.Pdf;

/// <summary>
/// The fonts the PDF and its charts are drawn with: DejaVu Sans regular and bold, shipped inside the assembly (see
/// Fonts/LICENSE). PDFsharp cannot see system fonts here, and a report must look the same on
/// every machine, so it gets exactly these two files.
/// </summary>
internal static class PdfFonts
{
    public const string Family = "DejaVu Sans";
    public const string RegularFace = "DejaVuSans";
    public const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lazy<byte[]> Regular = new(() => Load(RegularFace));
    private static readonly Lazy<byte[]> Bold = new(() => Load(BoldFace));
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>The TrueType file of a face; <paramref name="face"/> is <see cref="RegularFace"/> or <see cref="BoldFace"/>.</summary>
    public static byte[] Face(string face) => face switch
    {
        RegularFace => Regular.Value,
        BoldFace => Bold.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(face), face, "not a shipped font face"),
    };

    /// <summary>
    /// Installs the font resolver once per process. PDFsharp's resolver is a process-wide setting that must be in place
    /// before the first <c>XFont</c> is created, and renderers run concurrently, hence the lock.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered))
        {
            return;
        }

        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            switch (GlobalFontSettings.FontResolver)
            {
                case null:
                    GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
                    break;
                case EmbeddedFontResolver:
                    break;
                case var other:
                    throw new InvalidOperationException($"PDFsharp already has a font resolver ({other.GetType().FullName}); the PDF report needs {nameof(EmbeddedFontResolver)}.");
            }

            Volatile.Write(ref _registered, true);
        }
    }

    private static byte[] Load(string face)
    {
        var name = $"CarrierReports.Fonts.{face}.ttf";
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource '{name}' is missing from the assembly.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
