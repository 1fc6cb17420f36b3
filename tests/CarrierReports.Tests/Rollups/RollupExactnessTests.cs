using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Rollups;

/// <summary>
/// Exactness: a report read through the rollups is the raw report, character by character (CSV and notes), over random
/// carriers, zones, buckets and ranges, on PostgreSQL and SQLite; late rows and re-rated rows are caught by the next
/// refresh and by reconciliation.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupExactnessTests(PostgresFixture pg)
{
    /// <summary>A refresh at this time leaves the watermark inside the autumn window, so reports there combine both parts.</summary>
    private static readonly DateTimeOffset Autumn = new(2026, 10, 28, 13, 7, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Spring = new(2026, 3, 20, 10, 17, 0, TimeSpan.Zero);

    public static TheoryData<string> Providers => new() { "postgres", "sqlite" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reports_FromRollups_EqualRawReports(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Autumn);
        var refresh = await store.RunAsync(true, "rollups", "refresh");
        Assert.Contains("watermark 2026-10-28T13:00:00Z", refresh.Stdout, StringComparison.Ordinal);

        foreach (var c in ReportCases.Fixed().Concat(ReportCases.Random(seed: provider.Length, count: 24)))
        {
            Assert.True(await store.ReportAsync(false, c) == await store.ReportAsync(true, c), $"rollup report differs from raw for {c}");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LateRows_InsideTheLateWindow_AreInTheNextRefresh(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");
        var day = new ReportCase("1", "Europe/London", "2026-03-20", "2026-03-21", "hour");
        Assert.Equal(await store.ReportAsync(false, day), await store.ReportAsync(true, day));

        // Written after the refresh, started before its watermark (10:15) but within the 2-hour late window.
        await InsertAsync(store, Spring.AddMinutes(-92), 40);
        Assert.NotEqual(await store.ReportAsync(false, day), await store.ReportAsync(true, day)); // the rollups are read: stale until refreshed

        store.Clock.Advance(TimeSpan.FromMinutes(5));
        await store.RunAsync(true, "rollups", "refresh");
        Assert.Equal(await store.ReportAsync(false, day), await store.ReportAsync(true, day));
        var month = new ReportCase("1", "Asia/Kathmandu", "2026-03-01", "2026-04-01", "day");
        Assert.Equal(await store.ReportAsync(false, month), await store.ReportAsync(true, month));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RowsChangedAfterTheLateWindow_AreRestoredByReconcile(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");

        // Re-rated on the 5th, deleted on the 6th, a late row on the 7th: all far before the late window.
        await store.ExecuteCdrAsync($"UPDATE cdr SET duration = duration + 7 WHERE carrier_id = 1 AND duration > 0 AND {store.StartColumn} >= {store.Start(new(2026, 3, 5, 0, 0, 0, TimeSpan.Zero))} AND {store.StartColumn} < {store.Start(new(2026, 3, 6, 0, 0, 0, TimeSpan.Zero))}");
        await store.ExecuteCdrAsync($"DELETE FROM cdr WHERE carrier_id = 2 AND {store.StartColumn} >= {store.Start(new(2026, 3, 6, 6, 0, 0, TimeSpan.Zero))} AND {store.StartColumn} < {store.Start(new(2026, 3, 6, 9, 0, 0, TimeSpan.Zero))}");
        await InsertAsync(store, new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero), 3, carrier: 3);
        store.Clock.Advance(TimeSpan.FromMinutes(5));
        await store.RunAsync(true, "rollups", "refresh");
        var cases = new[]
        {
            new ReportCase("1", "Europe/London", "2026-03-01", "2026-04-01", "day"),
            new ReportCase("2", "America/New_York", "2026-03-05", "2026-03-08", "hour"),
            new ReportCase("3", "Pacific/Chatham", "2026-03-01", "2026-03-10", "day"),
        };
        foreach (var c in cases)
        {
            Assert.NotEqual(await store.ReportAsync(false, c), await store.ReportAsync(true, c));
        }

        var reconcile = await store.RunAsync(true, "rollups", "reconcile", "--from", "2026-03-01", "--to", "2026-03-20");
        Assert.Contains("differed  carrier 1  2026-03-05", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Contains("differed  carrier 2  2026-03-06", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Contains("differed  carrier 3  2026-03-07", reconcile.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 carrier-day(s) differed", reconcile.Stdout, StringComparison.Ordinal);
        foreach (var c in cases)
        {
            Assert.Equal(await store.ReportAsync(false, c), await store.ReportAsync(true, c));
        }

        var again = await store.RunAsync(true, "rollups", "reconcile", "--from", "2026-03-01", "--to", "2026-03-20");
        Assert.Contains("0 carrier-day(s) differed", again.Stdout, StringComparison.Ordinal);
        var status = await store.RunAsync(true, "rollups", "status");
        Assert.Contains("watermark       2026-03-20T10:15:00Z", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 carrier-day(s) differed", status.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Rebuild_OfOneCarrier_RestoresItsReportsAndLeavesOthers(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");
        await store.ExecuteCdrAsync($"UPDATE cdr SET duration = 0 WHERE carrier_id IN (2, 3) AND {store.StartColumn} >= {store.Start(new(2026, 3, 12, 0, 0, 0, TimeSpan.Zero))} AND {store.StartColumn} < {store.Start(new(2026, 3, 13, 0, 0, 0, TimeSpan.Zero))}");
        var two = new ReportCase("2", "UTC", "2026-03-10", "2026-03-15", "day");
        var three = new ReportCase("3", "UTC", "2026-03-10", "2026-03-15", "day");

        await store.RunAsync(true, "rollups", "rebuild", "--from", "2026-03-12", "--to", "2026-03-13", "--carrier", "3");
        Assert.Equal(await store.ReportAsync(false, three), await store.ReportAsync(true, three));
        Assert.NotEqual(await store.ReportAsync(false, two), await store.ReportAsync(true, two));
    }

    private static async Task InsertAsync(RollupTestStore store, DateTimeOffset first, int count, long carrier = 1)
    {
        var values = Enumerable.Range(0, count).Select(i =>
            $"({store.Start(first.AddSeconds(i * 67))}, {carrier}, '{(i % 3 == 0 ? "late-route" : "uk-mobile")}', {(i % 2 == 0 ? 30 + i : 0)}, {(i % 2 == 0 ? 200 : 486)})");
        await store.ExecuteCdrAsync($"INSERT INTO cdr (start_time, carrier_id, provider_card_id, duration, sip_code) VALUES {string.Join(", ", values)}");
    }
}
