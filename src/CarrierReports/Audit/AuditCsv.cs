using CarrierReports.Access;
using System.Globalization;

namespace CarrierReports.Audit;

/// <summary>
/// Writes audit rows as CSV (RFC 4180). A cell that starts with <c>= + - @</c>, a tab or a carriage return gets a
/// leading apostrophe, so a spreadsheet shows it as text instead of running it as a formula: actors, targets and
/// before/after values come from users.
/// </summary>
public static class AuditCsv
{
    public const string Header = "id,time,actor,auth_method,auth_id,role,action,target,before,after,client_address,outcome,prev_hash,hash";

    /// <returns>The number of rows written.</returns>
    public static async Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Header + "\r\n");
        long rows = 0;
        await foreach (var e in entries.WithCancellation(cancellationToken))
        {
            string[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture),
                e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                Cell(e.Actor), Cell(e.AuthMethod), Cell(e.AuthId), Cell(e.Role), Cell(e.Action), Cell(e.Target),
                Cell(e.Before), Cell(e.After), Cell(e.ClientAddress), Cell(e.Outcome), e.PrevHash, e.Hash,
            ];
            await writer.WriteAsync(string.Join(',', cells) + "\r\n");
            rows++;
        }

        return rows;
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
