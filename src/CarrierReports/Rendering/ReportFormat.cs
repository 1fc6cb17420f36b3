using System.Globalization;

namespace CarrierReports.Rendering;

/// <summary>Number and time formatting shared by every output, so a CSV, a PDF and a mail show the same figures.</summary>
public static class ReportFormat
{
    /// <summary>Shown where a ratio has no denominator.</summary>
    public const string Empty = "—";

    public static string LocalTime(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string UtcTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Four decimals, rounded half away from zero, invariant culture; empty for null.</summary>
    public static string Fixed4(decimal? value) =>
        value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture) : "";

    /// <summary>For people: <paramref name="decimals"/> decimals with thousands separators, or "—".</summary>
    public static string Number(decimal? value, int decimals = 2) =>
        value is { } v ? Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Empty;

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A percentage for people, e.g. "42.17 %", or "—".</summary>
    public static string Percent(decimal? value) => value is { } ? Number(value) + " %" : Empty;

    /// <summary>Values as stored, each in single quotes, comma-separated (<c>(null)</c> stays bare); control characters shown as <c>?</c>.</summary>
    public static string Quoted(IEnumerable<string> values) =>
        string.Join(", ", values.Select(v => v == "(null)" ? v : "'" + new string(v.Select(c => char.IsControl(c) ? '?' : c).ToArray()) + "'"));

    /// <summary>
    /// Neutralises text that a spreadsheet would run as a formula (OWASP "CSV injection"): a leading
    /// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return gets a leading apostrophe.
    /// </summary>
    public static string SafeText(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
