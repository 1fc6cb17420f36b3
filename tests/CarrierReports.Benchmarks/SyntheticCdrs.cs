using System.Diagnostics;
using System.Globalization;
using CarrierReports.Cdr;
using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// Creates (or reuses) a table of synthetic CDRs, generated inside PostgreSQL with <c>generate_series</c> so a
/// 10-million-row load never passes through this process.
/// </summary>
/// <remarks>
/// Shape: 90 days from 2026-01-15 UTC in start-time order (CDR tables grow by appending, so one carrier's month sits in
/// a contiguous third of the heap, interleaved with the other carriers); 20 carriers with a cube-law skew, so carrier 500
/// has about 37% of all rows; 40 routes with a milder skew plus 2% NULL routes; answer rates 30–78% by route; about one
/// row in 10,000 with a negative duration. Start times are whole seconds, so many rows fall exactly on a bucket boundary.
/// The seed is fixed, so the same --rows gives the same data.
/// </remarks>
public static class SyntheticCdrs
{
    public static readonly DateTimeOffset DataFrom = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);
    public const int DataDays = 90;
    private const string Version = "v1";

    /// <summary>A switch's shape: numbered rate cards, a small SIP code, the dialled number; ids given by the generator.</summary>
    private static CdrTable Table(string quoted) => new(quoted)
    {
        Id = "id bigint NOT NULL",
        RouteType = "integer",
        SipCodeType = "smallint",
        OtherColumns = ["dialed text NOT NULL"],
    };

    public static string PlainIndex(string table) => table + "_carrier_start";

    public static string CoveringIndex(string table) => table + "_carrier_start_cover";

    /// <summary>Makes sure <paramref name="table"/> holds exactly the synthetic data for <paramref name="rows"/>; returns the seconds spent generating (0 when reused).</summary>
    public static async Task<double> EnsureAsync(NpgsqlDataSource db, string table, long rows, CancellationToken cancellationToken)
    {
        var t = SqlIdentifier.Quote(table);
        var marker = $"carrierreports-bench {Version} rows={rows.ToString(CultureInfo.InvariantCulture)}";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using (var find = new NpgsqlCommand("SELECT obj_description(to_regclass($1), 'pg_class'), to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = t } } })
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var exists = reader.GetBoolean(1);
            var comment = reader.IsDBNull(0) ? null : reader.GetString(0);
            if (exists && comment == marker)
            {
                return 0;
            }

            // Never drop a table this benchmark did not create: the connection may point at real CDRs.
            if (exists && comment?.StartsWith("carrierreports-bench ", StringComparison.Ordinal) != true)
            {
                throw new InputException("--table", $"table {table} exists and was not created by this benchmark; choose another --table");
            }
        }

        var watch = Stopwatch.StartNew();
        var seconds = (DataDays * 86_400.0 / rows).ToString("R", CultureInfo.InvariantCulture);
        var from = DataFrom.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture);
        var n = rows.ToString(CultureInfo.InvariantCulture);
        var load = $"""
            DROP TABLE IF EXISTS {t};
            {Table(t).CreatePostgres()};
            SELECT setseed(0.2026);
            INSERT INTO {t}
            SELECT g, t, c, r,
                   CASE WHEN u < 0.30 + 0.012 * coalesce(r - 1000, 10) THEN 1 + floor(-ln(1 - random()) * 140)::int
                        WHEN u > 0.9999 THEN -1
                        ELSE 0 END,
                   CASE WHEN u < 0.30 + 0.012 * coalesce(r - 1000, 10) THEN 200
                        ELSE (ARRAY[486, 487, 503, 404, 480])[1 + floor(random() * 5)::int] END,
                   '447' || (100000000 + floor(random() * 899999999)::bigint)::text
            FROM (
                SELECT g,
                       date_trunc('second', timestamptz '{from}' + (g - 1 + random()) * {seconds} * interval '1 second') AS t,
                       500 + floor(20 * power(random(), 3))::int AS c,
                       CASE WHEN random() < 0.02 THEN NULL ELSE 1000 + floor(40 * power(random(), 1.5))::int END AS r,
                       random() AS u
                FROM generate_series(1, {n}) AS g
            ) AS s;
            SET maintenance_work_mem = '256MB';
            CREATE INDEX {SqlIdentifier.Quote(PlainIndex(table))} ON {t} (carrier_id, start_time);
            """;
        await using (var cmd = new NpgsqlCommand(load, connection) { CommandTimeout = 0 })
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        // VACUUM sets the visibility map, without which no index-only scan can skip the heap.
        await using (var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {t}", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var comment = new NpgsqlCommand($"COMMENT ON TABLE {t} IS '{marker}'", connection))
        {
            await comment.ExecuteNonQueryAsync(cancellationToken);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Adds or drops the covering index so the table carries exactly what <paramref name="covering"/> asks for.</summary>
    public static async Task SetCoveringIndexAsync(NpgsqlDataSource db, string table, bool covering, CancellationToken cancellationToken)
    {
        var t = SqlIdentifier.Quote(table);
        var index = SqlIdentifier.Quote(CoveringIndex(table));
        var sql = covering
            ? $"SET maintenance_work_mem = '256MB'; CREATE INDEX IF NOT EXISTS {index} ON {t} (carrier_id, start_time) INCLUDE (provider_card_id, duration); ANALYZE {t}"
            : $"DROP INDEX IF EXISTS {index}; ANALYZE {t}";
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
