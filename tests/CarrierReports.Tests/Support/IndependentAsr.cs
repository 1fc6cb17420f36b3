using Npgsql;

namespace CarrierReports.Tests.Support;

/// <summary>
/// The expected CSV of an ASR per Route report, computed by PostgreSQL's own time-zone machinery (AT TIME ZONE,
/// date_trunc, generate_series) — deliberately not the product's code path (which computes bucket instants in .NET and
/// bins with width_bucket). Answered means duration &gt; 0.
/// </summary>
public static class IndependentAsr
{
    public static async Task<IReadOnlyList<string>> ExpectedCsvAsync(string connectionString, long carrier, string zone, DateTime localFrom, DateTime localTo, string bucket, string table = "cdr")
    {
        // The bucket a timestamp belongs to: the local hour (with the offset, so the repeated fall-back hour is two
        // buckets), the local date or the local month.
        string Key(string ts) => bucket switch
        {
            "hour" => $"date_trunc('hour', {ts} AT TIME ZONE $1)::text || ' ' || (({ts} AT TIME ZONE $1) - ({ts} AT TIME ZONE 'UTC'))::text",
            "day" => $"({ts} AT TIME ZONE $1)::date::text",
            "month" => $"date_trunc('month', {ts} AT TIME ZONE $1)::date::text",
            _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
        };

        var sql = $"""
            WITH bounds AS (
                SELECT ($2::timestamp AT TIME ZONE $1) AS f, ($3::timestamp AT TIME ZONE $1) AS t
            ), slots AS (
                SELECT g AS at FROM bounds, generate_series(f, t - interval '1 second', interval '15 minutes') g
            ), buckets AS (
                SELECT {Key("at")} AS k, min(at) AS ustart FROM slots GROUP BY 1
            ), calls AS (
                SELECT {Key("c.start_time")} AS k, coalesce(c.provider_card_id, '(none)') AS r, c.duration AS d
                FROM {table} c, bounds WHERE c.carrier_id = $4 AND c.start_time >= bounds.f AND c.start_time < bounds.t
            ), sums AS (
                SELECT k, r, count(*) AS attempts, count(*) FILTER (WHERE d > 0) AS answered,
                       coalesce(sum(d) FILTER (WHERE d > 0), 0)::numeric AS secs
                FROM calls GROUP BY k, r
            ), routes AS (
                SELECT DISTINCT r FROM sums
            )
            SELECT to_char(b.ustart AT TIME ZONE $1, 'YYYY-MM-DD"T"HH24:MI:SS')
                       || CASE WHEN (b.ustart AT TIME ZONE $1) >= (b.ustart AT TIME ZONE 'UTC') THEN '+' ELSE '-' END
                       || to_char(abs(extract(epoch FROM (b.ustart AT TIME ZONE $1) - (b.ustart AT TIME ZONE 'UTC'))) * interval '1 second', 'HH24:MI'),
                   rt.r,
                   coalesce(s.attempts, 0),
                   coalesce(s.answered, 0),
                   CASE WHEN coalesce(s.attempts, 0) = 0 THEN '' ELSE round(s.answered * 100.0 / s.attempts, 4)::text END,
                   CASE WHEN coalesce(s.answered, 0) = 0 THEN '' ELSE round(s.secs / s.answered, 4)::text END,
                   round(coalesce(s.secs, 0) / 60.0, 4)::text
            FROM buckets b CROSS JOIN routes rt LEFT JOIN sums s ON s.k = b.k AND s.r = rt.r
            ORDER BY b.ustart, rt.r COLLATE "C"
            """;

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddWithValue(zone);
        cmd.Parameters.AddWithValue(localFrom);
        cmd.Parameters.AddWithValue(localTo);
        cmd.Parameters.AddWithValue(carrier);
        var lines = new List<string> { "bucket_start,route,attempts,answered,asr_pct,acd_sec,minutes" };
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Join(',',
                reader.GetString(0), CsvText(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return lines;
    }

    /// <summary>The CSV contract's text rules, written out independently: formula neutralising, then RFC 4180 quoting.</summary>
    private static string CsvText(string s)
    {
        if (s.Length > 0 && "=+-@\t\r".Contains(s[0], StringComparison.Ordinal))
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
