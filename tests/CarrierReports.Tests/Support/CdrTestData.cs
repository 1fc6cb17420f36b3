using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CarrierReports.Tests.Support;

/// <summary>One synthetic CDR as the tests write it into either database.</summary>
public sealed record TestCdr(DateTimeOffset Start, long Carrier, string? Route, int Duration, int SipCode);

/// <summary>
/// Deterministic CDRs around the 2026 DST changes of Europe/London (Mar 29, Oct 25) and America/New_York (Mar 8, Nov 1),
/// with calls without a route, a route that never answers, and a few negative durations.
/// </summary>
public static class CdrTestData
{
    public static IReadOnlyList<TestCdr> Generate(int seed = 7, int perHour = 12)
    {
        var random = new Random(seed);
        var list = new List<TestCdr>();
        string?[] routes = ["uk-mobile", "uk-fixed", "de-mobile", "in-mobile", "np-fixed", "dead-route", null, "=cmd|' /C calc'!A0", "route,with \"quotes\""];
        foreach (var (from, to) in new[]
                 {
                     (new DateTimeOffset(2026, 2, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 7, 0, 0, 0, TimeSpan.Zero)),
                     (new DateTimeOffset(2026, 10, 22, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero)),
                 })
        {
            for (var hour = from; hour < to; hour = hour.AddHours(1))
            {
                var n = random.Next(perHour * 2);
                for (var i = 0; i < n; i++)
                {
                    var start = hour.AddSeconds(random.Next(3600)).AddMilliseconds(random.Next(1000) < 100 ? 0 : random.Next(1000));
                    var carrier = random.Next(10) < 7 ? 1L : random.Next(10) < 7 ? 2L : 3L;
                    var route = routes[random.Next(routes.Length)];
                    var answered = route != "dead-route" && random.NextDouble() < 0.55;
                    var duration = answered ? 1 + random.Next(600) : 0;
                    if (random.Next(2000) == 0)
                    {
                        duration = -5;
                    }

                    list.Add(new TestCdr(start, carrier, route, duration, answered ? 200 : random.Next(2) == 0 ? 486 : 503));
                }
            }
        }

        return list;
    }

    /// <summary>Creates <paramref name="table"/> with the given column names in PostgreSQL and copies the rows in.</summary>
    public static async Task LoadPostgresAsync(string connectionString, IReadOnlyList<TestCdr> rows, string table = "cdr",
        string start = "start_time", string carrier = "carrier_id", string route = "provider_card_id", string duration = "duration", string sip = "sip_code",
        string carrierType = "bigint")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"""
            CREATE TABLE {table} (id bigserial PRIMARY KEY, {start} timestamptz NOT NULL, {carrier} {carrierType} NOT NULL,
                                  {route} text, {duration} integer NOT NULL, {sip} integer NOT NULL)
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({start}, {carrier}, {route}, {duration}, {sip}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(r.Start.UtcDateTime, NpgsqlDbType.TimestampTz);
                if (carrierType == "text")
                {
                    await importer.WriteAsync(r.Carrier.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                }
                else
                {
                    await importer.WriteAsync(r.Carrier, NpgsqlDbType.Bigint);
                }

                if (r.Route is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(r.Route, NpgsqlDbType.Text);
                }

                await importer.WriteAsync(r.Duration, NpgsqlDbType.Integer);
                await importer.WriteAsync(r.SipCode, NpgsqlDbType.Integer);
            }

            await importer.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand($"ANALYZE {table}", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Writes the rows into an SQLite file; start times alternate between ISO-8601 text (with an offset, in a
    /// non-UTC zone) and Unix seconds so both accepted encodings are exercised.
    /// </summary>
    public static async Task<string> LoadSqliteAsync(string path, IReadOnlyList<TestCdr> rows)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE cdr (id INTEGER PRIMARY KEY, start_time, carrier_id INTEGER NOT NULL, provider_card_id TEXT, duration INTEGER NOT NULL, sip_code INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO cdr (start_time, carrier_id, provider_card_id, duration, sip_code) VALUES ($s, $c, $r, $d, $q)";
        var ps = new[] { "$s", "$c", "$r", "$d", "$q" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        var i = 0;
        foreach (var r in rows)
        {
            // SQLite keeps whole seconds for both encodings; the product truncates ISO text to the second too.
            ps[0].Value = i++ % 2 == 0
                ? r.Start.ToUnixTimeSeconds()
                : r.Start.ToOffset(TimeSpan.FromHours(-3)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            ps[1].Value = r.Carrier;
            ps[2].Value = (object?)r.Route ?? DBNull.Value;
            ps[3].Value = r.Duration;
            ps[4].Value = r.SipCode;
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return cs;
    }
}
