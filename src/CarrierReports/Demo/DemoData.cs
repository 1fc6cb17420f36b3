using Microsoft.Data.Sqlite;

namespace CarrierReports.Demo;

/// <summary>
/// Writes a realistic synthetic CDR set into an SQLite file: several carriers, routes with different ASR and ACD,
/// busy hours and quiet nights, weekends, calls without a route, an outage on one route, and traffic on both sides of
/// the zone's most recent DST change. Seeded, so the same reference time gives the same data.
/// </summary>
public static class DemoData
{
    public const string Table = "cdr";
    public const string MainCarrier = "544";

    public static readonly IReadOnlyDictionary<string, string> CarrierNames = new Dictionary<string, string>
    {
        ["544"] = "Acme Telecom",
        ["545"] = "Borealis Voice",
        ["546"] = "Cobalt Networks",
    };

    /// <summary>Route, share of the carrier's traffic, answer probability, mean ACD in seconds.</summary>
    private static readonly (string Route, double Share, double Asr, double Acd)[] Routes =
    [
        ("uk-mobile-tier1", 0.22, 0.58, 170),
        ("uk-fixed", 0.16, 0.63, 240),
        ("de-mobile", 0.12, 0.50, 150),
        ("fr-fixed", 0.10, 0.55, 200),
        ("us-fixed-cc", 0.10, 0.45, 130),
        ("in-mobile-b", 0.09, 0.31, 110),
        ("pk-mobile", 0.08, 0.36, 95),
        ("ng-mobile", 0.07, 0.19, 80),
        ("np-fixed", 0.005, 0.40, 120),
    ];

    /// <summary>Share of hourly traffic by local hour: quiet nights, busy 09–12 and 14–17.</summary>
    private static readonly double[] HourProfile =
        [0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.35, 0.7, 1.1, 1.5, 1.6, 1.5, 1.2, 1.3, 1.5, 1.55, 1.4, 1.1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2];

    /// <summary>Creates (or replaces) the file and fills it with CDRs from two months before <paramref name="now"/> up to it.</summary>
    /// <returns>The number of CDR rows written.</returns>
    public static async Task<int> CreateAsync(string path, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        await using var connection = new SqliteConnection(csb.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await CreateTableAsync(connection, cancellationToken);
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var firstLocal = new DateTime(localNow.Year, localNow.Month, 1).AddMonths(-2);
        return await InsertCallsAsync(connection, zone, now, localNow, firstLocal, Hours(zone, now, firstLocal), cancellationToken);
    }

    private static async Task CreateTableAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TABLE {Table} (
                    id INTEGER PRIMARY KEY,
                    start_time INTEGER NOT NULL,       -- Unix seconds, UTC
                    carrier_id INTEGER NOT NULL,
                    provider_card_id TEXT,             -- the route; NULL when the call was never routed
                    duration INTEGER NOT NULL,         -- billed seconds, 0 when not answered
                    sip_code INTEGER NOT NULL
                );
                CREATE INDEX ix_cdr_carrier_start ON {Table} (carrier_id, start_time);
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Every hour from the first of the month two months back up to now, plus both sides of the latest DST change.</summary>
    private static List<DateTimeOffset> Hours(TimeZoneInfo zone, DateTimeOffset now, DateTime firstLocal)
    {
        var from = new DateTimeOffset(firstLocal, zone.GetUtcOffset(firstLocal)).ToUniversalTime();
        var hours = new List<DateTimeOffset>();
        for (var h = from; h < now; h = h.AddHours(1))
        {
            hours.Add(h);
        }

        // Traffic on both sides of the latest DST change, even when it is older than the two months above.
        if (LatestOffsetChange(zone, now) is { } change && change < from)
        {
            for (var h = change.AddHours(-36); h < change.AddHours(36); h = h.AddHours(1))
            {
                hours.Add(h);
            }
        }

        return hours;
    }

    private static async Task<int> InsertCallsAsync(SqliteConnection connection, TimeZoneInfo zone, DateTimeOffset now, DateTimeOffset localNow,
        DateTime firstLocal, List<DateTimeOffset> hours, CancellationToken cancellationToken)
    {
        var random = new Random(20261127);
        var yesterday = localNow.Date.AddDays(-1);
        var outageDay = firstLocal.AddMonths(1).AddDays(11);
        var rows = 0;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {Table} (start_time, carrier_id, provider_card_id, duration, sip_code) VALUES ($s, $c, $r, $d, $q)";
        var ps = new[] { "$s", "$c", "$r", "$d", "$q" }.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
        ps[2].SqliteType = SqliteType.Text;

        foreach (var hourStart in hours)
        {
            var local = TimeZoneInfo.ConvertTime(hourStart, zone).DateTime;
            var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.55 : 1.0;
            foreach (var (carrier, scale) in new[] { ("544", 330.0), ("545", 35.0), ("546", 18.0) })
            {
                var calls = Poisson(random, scale * HourProfile[local.Hour] * weekend);
                for (var i = 0; i < calls; i++)
                {
                    var (route, _, asr, acd) = PickRoute(random);
                    var start = hourStart.AddSeconds(random.Next(3600));
                    if (start >= now)
                    {
                        continue;
                    }

                    // The outage: de-mobile answers nothing yesterday 10:00–14:00 and on one afternoon last month.
                    var l = TimeZoneInfo.ConvertTime(start, zone).DateTime;
                    var down = route == "de-mobile" && ((l.Date == yesterday && l.Hour is >= 10 and < 14) || (l.Date == outageDay && l.Hour is >= 13 and < 18));
                    var unrouted = random.NextDouble() < 0.004;
                    var answered = !down && !unrouted && random.NextDouble() < asr;
                    ps[0].Value = start.ToUnixTimeSeconds();
                    ps[1].Value = long.Parse(carrier, System.Globalization.CultureInfo.InvariantCulture);
                    ps[2].Value = unrouted ? DBNull.Value : route;
                    ps[3].Value = answered ? Math.Max(1, (int)(-acd * Math.Log(1 - random.NextDouble()))) : 0;
                    ps[4].Value = answered ? 200 : down ? 503 : FailureCode(random);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    rows++;
                }
            }
        }

        await tx.CommitAsync(cancellationToken);
        return rows;
    }

    private static (string, double, double, double) PickRoute(Random random)
    {
        var x = random.NextDouble() * Routes.Sum(r => r.Share);
        foreach (var r in Routes)
        {
            x -= r.Share;
            if (x <= 0)
            {
                return r;
            }
        }

        return Routes[^1];
    }

    private static int FailureCode(Random random) => random.Next(10) switch
    {
        < 4 => 486,
        < 7 => 487,
        < 8 => 480,
        < 9 => 404,
        _ => 503,
    };

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method is fine for the small means used here; a normal approximation for larger ones.
        if (mean > 60)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    /// <summary>The latest UTC-offset change of <paramref name="zone"/> in the year before <paramref name="now"/>, if any.</summary>
    internal static DateTimeOffset? LatestOffsetChange(TimeZoneInfo zone, DateTimeOffset now)
    {
        var t = now;
        for (var day = 0; day < 366; day++)
        {
            var earlier = t.AddDays(-1);
            if (zone.GetUtcOffset(earlier) != zone.GetUtcOffset(t))
            {
                return Time.Zones.FirstOffsetChange(zone, earlier, t);
            }

            t = earlier;
        }

        return null;
    }
}
