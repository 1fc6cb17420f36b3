using System.Text;
using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.Rendering.Csv;

/// <summary>
/// Writes the machine-readable CSV. The contract is stable: UTF-8 without BOM, RFC 4180 (CRLF line ends, quotes
/// doubled), invariant culture, header <see cref="Header"/>, ratios and minutes with four decimals, an undefined ratio
/// as an empty field, rows ordered by bucket start then route (ordinal).
/// </summary>
public static class AsrCsvWriter
{
    public const string Header = "bucket_start,route,attempts,answered,asr_pct,acd_sec,minutes";
    public const string TotalsHeader = "scope,route,attempts,answered,asr_pct,acd_sec,minutes";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The bucket × route rows.</summary>
    public static async Task WriteAsync(AsrPerRouteReport report, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, Utf8, 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Header.AsMemory(), cancellationToken);
        var line = new StringBuilder(128);
        foreach (var row in report.Rows)
        {
            line.Clear();
            line.Append(ReportFormat.LocalTime(row.Bucket.LocalStart)).Append(',');
            AppendMetrics(line, row.Route, row.Metrics);
            await writer.WriteLineAsync(line, cancellationToken);
        }
    }

    /// <summary>The totals: one <c>route</c> row per route, then one <c>carrier</c> row (route empty).</summary>
    public static async Task WriteTotalsAsync(AsrPerRouteReport report, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, Utf8, 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(TotalsHeader.AsMemory(), cancellationToken);
        var line = new StringBuilder(128);
        foreach (var route in report.RouteTotals)
        {
            line.Clear().Append("route,");
            AppendMetrics(line, route.Route, route.Metrics);
            await writer.WriteLineAsync(line, cancellationToken);
        }

        line.Clear().Append("carrier,");
        AppendMetrics(line, "", report.Total);
        await writer.WriteLineAsync(line, cancellationToken);
    }

    private static void AppendMetrics(StringBuilder line, string route, Metrics m)
    {
        line.Append(Field(ReportFormat.SafeText(route))).Append(',')
            .Append(m.Attempts).Append(',')
            .Append(m.Answered).Append(',')
            .Append(ReportFormat.Fixed4(m.AsrPct)).Append(',')
            .Append(ReportFormat.Fixed4(m.AcdSec)).Append(',')
            .Append(ReportFormat.Fixed4(m.Minutes));
    }

    /// <summary>RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
