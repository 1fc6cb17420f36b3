namespace CarrierReports.Rendering;

/// <summary>How a report is presented; the numbers never depend on these.</summary>
public sealed record RenderOptions
{
    /// <summary>ASR (percent) below which a cell is highlighted. Default 30.</summary>
    public decimal AsrWarningThresholdPct { get; init; } = 30m;

    /// <summary>Fewest attempts for a route to rank as best/worst, and below which a cell is marked as a small sample. Default 30.</summary>
    public long MinimumSample { get; init; } = 30;

    /// <summary>How many routes (by attempts) the PDF charts show. Default 8.</summary>
    public int TopRoutes { get; init; } = 8;

    /// <summary>Folder of the Scriban templates; null means the built-in <c>templates/</c> folder.</summary>
    public string? TemplateFolder { get; init; }

    /// <summary>The report's text blocks rendered from the templates; filled by <see cref="ReportArtifacts"/> before any renderer runs.</summary>
    public ReportTexts? Texts { get; init; }
}

/// <summary>Text blocks of a report document, rendered from the templates so support staff can edit them.</summary>
/// <param name="Title">Document title, e.g. "ASR per Route — Acme Telecom (544)".</param>
/// <param name="Notes">Explanations under the summary (small samples, excluded rows, ...); may be empty.</param>
/// <param name="Footer">The metric definitions (answered rule, ASR, ACD, minutes).</param>
public sealed record ReportTexts(string Title, string Notes, string Footer);
