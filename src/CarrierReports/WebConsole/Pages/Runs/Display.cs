using System.Globalization;

namespace CarrierReports.WebConsole.Pages.Runs;

/// <summary>How the run, archive, audit and admin pages write times, sizes and outcomes: the same words and formats everywhere.</summary>
public static class Display
{
    /// <summary>A moment in UTC, to the second (ledgers and audit rows are compared across nodes, so one zone for all).</summary>
    public static string Utc(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>A period start or end in its own zone (what the report covers), as the recipients read it.</summary>
    public static string Local(DateTimeOffset at, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Period(DateTimeOffset from, DateTimeOffset to, string timeZone) =>
        $"{Local(from, timeZone)} – {Local(to, timeZone)} {timeZone}";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes.ToString(CultureInfo.InvariantCulture)} B",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KB",
        _ => $"{(bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} MB",
    };

    /// <summary>The status class for an outcome word (the word itself is always shown too).</summary>
    public static string StatusClass(string outcome) => outcome switch
    {
        "succeeded" or "delivered" or "success" or "active" => "status-ok",
        "failed" or "rejected" or "error" or "integrity-error" or "broken" or "problems" or "revoked" => "status-bad",
        _ => "status-warn",
    };

    /// <summary>A yyyy-MM-dd date field of a filter as the start of that day in UTC; a field error names it otherwise.</summary>
    public static DateTimeOffset? Day(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new DateTimeOffset(d, TimeSpan.Zero)
            : throw new InputException(field, $"'{text}' is not a date; use yyyy-MM-dd, e.g. 2026-11-01");
}
