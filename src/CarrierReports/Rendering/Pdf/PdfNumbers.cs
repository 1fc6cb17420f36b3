namespace CarrierReports.Rendering.Pdf;

/// <summary>How the PDF prints figures, built on <see cref="ReportFormat"/> so the PDF and the CSV never disagree.</summary>
internal static class PdfNumbers
{
    /// <summary>
    /// Two decimals of the CSV's four-decimal figure. Rounding the CSV value (rather than the exact one) keeps a reader who
    /// checks the PDF against the CSV from ever meeting a double-rounding difference such as 12.49496 → 12.4950 → 12.50
    /// against a direct 12.49.
    /// </summary>
    public static string Ratio(decimal? value) =>
        ReportFormat.Number(value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null);

    public static string Percent(decimal? value) => value is null ? ReportFormat.Empty : Ratio(value) + " %";

    /// <summary>Relative change in percent, e.g. "+12.50 %"; "—" when there was nothing before.</summary>
    public static string RelativeChange(decimal current, decimal previous) =>
        previous == 0 ? ReportFormat.Empty : Signed((current - previous) * 100m / previous) + " %";

    /// <summary>Absolute change with a unit, e.g. "-1.20 pp"; "—" when either side is undefined.</summary>
    public static string Difference(decimal? current, decimal? previous, string unit) =>
        current is { } c && previous is { } p ? Signed(c - p) + " " + unit : ReportFormat.Empty;

    private static string Signed(decimal value)
    {
        var text = Ratio(value);
        return text.StartsWith('-') || Math.Round(value, 2, MidpointRounding.AwayFromZero) == 0 ? text : "+" + text;
    }
}
