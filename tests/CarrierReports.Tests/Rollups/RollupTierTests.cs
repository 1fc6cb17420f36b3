using System.Globalization;
using CarrierReports.Rollups;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Rollups;

/// <summary>
/// The hour and day tiers stay the sums of their slots through every kind of write (refresh, late rows, reconcile,
/// one-carrier rebuild), and rollups written before the tiers existed get them on the next start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupTierTests(PostgresFixture pg)
{
    private static readonly DateTimeOffset Spring = new(2026, 3, 20, 10, 17, 0, TimeSpan.Zero);

    private static readonly ReportCase[] Days =
    [
        new("1", "UTC", "2026-03-01", "2026-03-21", "day"),
        new("2", "Europe/London", "2026-03-02", "2026-03-21", "day"),
        new("3", "UTC", "2026-03-01", "2026-04-01", "month"),
    ];

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Tiers_StayTheSumsOfTheirSlots_ThroughRefreshLateRowsReconcileAndRebuild(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");
        await AssertConsistentAsync(store, expectRows: true);

        // A late row inside the late window, one far behind it, and a re-rated day.
        await store.ExecuteCdrAsync($"INSERT INTO cdr (start_time, carrier_id, provider_card_id, duration, sip_code) VALUES ({store.Start(Spring.AddMinutes(-80))}, 1, 'tier-late', 61, 200), ({store.Start(new(2026, 3, 9, 23, 59, 59, TimeSpan.Zero))}, 1, 'tier-old', 17, 200)");
        await store.ExecuteCdrAsync($"UPDATE cdr SET duration = duration + 3 WHERE carrier_id = 2 AND duration > 0 AND {store.StartColumn} >= {store.Start(new(2026, 3, 11, 0, 0, 0, TimeSpan.Zero))} AND {store.StartColumn} < {store.Start(new(2026, 3, 12, 0, 0, 0, TimeSpan.Zero))}");
        store.Clock.Advance(TimeSpan.FromMinutes(5));
        await store.RunAsync(true, "rollups", "refresh");
        await AssertConsistentAsync(store, expectRows: true);

        var reconcile = await store.RunAsync(true, "rollups", "reconcile", "--from", "2026-03-01", "--to", "2026-03-20");
        Assert.Contains("2 carrier-day(s) differed", reconcile.Stdout, StringComparison.Ordinal);
        await AssertConsistentAsync(store, expectRows: true);
        foreach (var c in Days)
        {
            Assert.True(await store.ReportAsync(false, c) == await store.ReportAsync(true, c), $"rollup report differs from raw for {c}");
        }

        await store.ExecuteCdrAsync($"UPDATE cdr SET duration = 0 WHERE carrier_id = 3 AND {store.StartColumn} >= {store.Start(new(2026, 3, 14, 0, 0, 0, TimeSpan.Zero))} AND {store.StartColumn} < {store.Start(new(2026, 3, 15, 0, 0, 0, TimeSpan.Zero))}");
        await store.RunAsync(true, "rollups", "rebuild", "--from", "2026-03-14T06:00:00Z", "--to", "2026-03-14T07:15:00Z", "--carrier", "3");
        await AssertConsistentAsync(store, expectRows: true);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task RollupsWrittenBeforeTheTiers_GetThemOnTheNextStart_AndReportsStayExact(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");
        await ExecuteServiceAsync(store, "DROP TABLE cr_rollup_hours; DROP TABLE cr_rollup_days");

        // A new process (the CLI) creates the missing tables and sums them from the slots before its first read.
        foreach (var c in Days)
        {
            Assert.True(await store.ReportAsync(false, c) == await store.ReportAsync(true, c), $"rollup report differs from raw for {c}");
        }

        await AssertConsistentAsync(store, expectRows: true);
    }

    /// <summary>Each derived tier equals its source summed again, row for row, in both directions.</summary>
    private static async Task AssertConsistentAsync(RollupTestStore store, bool expectRows)
    {
        foreach (var tier in RollupTier.Derived)
        {
            var derived = $"SELECT carrier, route, slot_start - (slot_start % {tier.Seconds}) AS s, sum(attempts) AS a, sum(answered) AS n, sum(answered_seconds) AS sec, sum(negative_rows) AS neg, sum(unlisted_rows) AS u, sum(duration_sum) AS d FROM {tier.Source} GROUP BY 1, 2, 3";
            var stored = $"SELECT carrier, route, slot_start, attempts, answered, answered_seconds, negative_rows, unlisted_rows, duration_sum FROM {tier.Table}";
            Assert.Equal(0, await CountAsync(store, $"SELECT count(*) FROM ({derived} EXCEPT {stored}) AS x"));
            Assert.Equal(0, await CountAsync(store, $"SELECT count(*) FROM ({stored} EXCEPT {derived}) AS x"));
            Assert.Equal(expectRows, await CountAsync(store, $"SELECT count(*) FROM {tier.Table}") > 0);
        }
    }

    private static async Task<long> CountAsync(RollupTestStore store, string sql)
    {
        await using var database = Database(store);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteServiceAsync(RollupTestStore store, string sql)
    {
        await using var database = Database(store);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static ServiceDatabase Database(RollupTestStore store) => new(Options.Create(new DatabaseOptions
    {
        Provider = store.IsPostgres ? CarrierReports.Cdr.CdrProvider.Postgres : CarrierReports.Cdr.CdrProvider.Sqlite,
        ConnectionString = store.ServiceConnectionString,
    }));
}
