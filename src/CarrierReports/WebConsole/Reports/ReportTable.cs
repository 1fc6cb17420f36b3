using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.WebConsole.Reports;

/// <summary>A sortable column of the bucket × route table: its query-string key, its heading and whether it is a number.</summary>
public sealed record ReportColumn(string Key, string Title, bool Numeric);

/// <summary>
/// The bucket × route table of the ad-hoc report, sorted by the query string (<c>sort</c>, <c>dir</c>) so sorting works
/// without JavaScript and the URL keeps it. Rows without a ratio (no attempts, no answered call) sort last either way.
/// </summary>
public static class ReportTable
{
    /// <summary>Most rows the page shows; the downloads always hold every row.</summary>
    public const int MaxRows = 3000;

    public static readonly IReadOnlyList<ReportColumn> Columns =
    [
        new("bucket", "Bucket", false),
        new("route", "Route", false),
        new("attempts", "Attempts", true),
        new("answered", "Answered", true),
        new("asr", "ASR", true),
        new("acd", "ACD", true),
        new("minutes", "Minutes", true),
    ];

    public static bool IsColumn(string? key) => Columns.Any(c => c.Key == key);

    public static IReadOnlyList<AsrRow> Sort(IEnumerable<AsrRow> rows, string sort, bool descending)
    {
        // The second key keeps equal values in bucket, then route order, so the table reads the same every time.
        IOrderedEnumerable<AsrRow> Numeric(Func<AsrRow, decimal?> key)
        {
            var withValue = rows.Where(r => key(r) is not null);
            var ordered = descending ? withValue.OrderByDescending(key) : withValue.OrderBy(key);
            return ordered.ThenBy(r => r.Bucket.Index).ThenBy(r => r.Route, StringComparer.Ordinal);
        }

        IEnumerable<AsrRow> WithoutValue(Func<AsrRow, decimal?> key) => rows.Where(r => key(r) is null);

        Func<AsrRow, decimal?>? numeric = sort switch
        {
            "attempts" => r => r.Metrics.Attempts,
            "answered" => r => r.Metrics.Answered,
            "asr" => r => r.Metrics.AsrPct,
            "acd" => r => r.Metrics.AcdSec,
            "minutes" => r => r.Metrics.Minutes,
            _ => null,
        };
        if (numeric is not null)
        {
            return [.. Numeric(numeric), .. WithoutValue(numeric)];
        }

        return sort == "route"
            ? [.. descending
                ? rows.OrderByDescending(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Bucket.Index)
                : rows.OrderBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Bucket.Index)]
            : [.. descending
                ? rows.OrderByDescending(r => r.Bucket.Index).ThenBy(r => r.Route, StringComparer.Ordinal)
                : rows.OrderBy(r => r.Bucket.Index).ThenBy(r => r.Route, StringComparer.Ordinal)];
    }
}
