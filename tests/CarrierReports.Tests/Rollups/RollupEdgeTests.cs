using CarrierReports.Cdr;
using CarrierReports.Reports;
using CarrierReports.Rollups;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Rollups;

/// <summary>What the rollups do at their edges: buckets off the 15-minute grid, lag in health, bad settings.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupEdgeTests(PostgresFixture pg)
{
    private static readonly DateTimeOffset Spring = new(2026, 3, 20, 10, 17, 0, TimeSpan.Zero);

    [Fact]
    public async Task BucketEdgesOffTheSlotGrid_AreSummedFromRawCdrs_AndStillEqualTheRawAnswer()
    {
        await using var store = await RollupTestStore.CreateAsync(pg, "sqlite");
        store.Clock.SetUtcNow(Spring);
        await store.RunAsync(true, "rollups", "refresh");
        var raw = new SqliteCdrSource(new CdrSourceOptions { ConnectionString = store.CdrConnectionString });
        await using var database = new ServiceDatabase(Options.Create(new DatabaseOptions { ConnectionString = store.ServiceConnectionString }));
        var rollups = new RollupCdrSource(raw, raw, new RollupStore(database));

        // A zone at +00:07 (none today) would put every bucket edge 7 minutes off a slot edge; one at +05:45 does not.
        foreach (var offset in new[] { TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(45), TimeSpan.FromSeconds(1) })
        {
            var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) + offset;
            var starts = Enumerable.Range(0, 24 * 18).Select(h => from.AddHours(h)).ToList();
            var query = new CdrQuery("1", from, starts[^1].AddHours(1), starts) { Limits = ReportLimits.Default };
            var expected = await raw.AggregateAsync(query, CancellationToken.None);
            var actual = await rollups.AggregateAsync(query, CancellationToken.None);
            Assert.True(expected.Rows.Count > 100, "the test data should cover the range");
            Assert.Equal(Sorted(expected), Sorted(actual));
            Assert.Equal(expected.NegativeDurationRows, actual.NegativeDurationRows);
        }
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Health_ShowsTheLag_AndALagOverMaxLagIsAProblem(string provider)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, provider);
        var on = new Dictionary<string, string?> { ["Rollups:Enabled"] = "true" };
        store.Clock.SetUtcNow(Spring);
        Assert.Contains("!! rollups    no refresh has finished yet", (await store.RunAnyAsync(on, "health")).Stdout, StringComparison.Ordinal);

        await store.RunAsync(true, "rollups", "refresh");
        store.Clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Contains("ok rollups    watermark 2026-03-20T10:15:00Z, lag 10 min (threshold Rollups:MaxLag 00:30:00)", (await store.RunAnyAsync(on, "health")).Stdout, StringComparison.Ordinal);

        store.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Contains("!! rollups    watermark 2026-03-20T10:15:00Z, lag 50 min", (await store.RunAnyAsync(on, "health")).Stdout, StringComparison.Ordinal);
        Assert.Contains("ok rollups    off", (await store.RunAnyAsync(new Dictionary<string, string?>(), "health")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rollups:LateWindow", "00:07:00", "Rollups:LateWindow: '00:07:00' must be a whole number of 15-minute slots")]
    [InlineData("Rollups:MaxLag", "00:01:00", "Rollups:MaxLag: '00:01:00' must be more than RefreshInterval")]
    [InlineData("Rollups:ReconcileCron", "every day", "Rollups:ReconcileCron: 'every day' is not a Quartz cron expression")]
    [InlineData("Rollups:ChunkDays", "0", "Rollups:ChunkDays")]
    public async Task BadSettings_AreRefusedNamingTheSetting(string key, string value, string error)
    {
        await using var store = await RollupTestStore.CreateAsync(pg, "sqlite");
        var result = await store.RunAnyAsync(new Dictionary<string, string?> { [key] = value }, "rollups", "status");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + error, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebuildRange_OffTheSlotGrid_IsRefusedNamingTheFlag()
    {
        await using var store = await RollupTestStore.CreateAsync(pg, "sqlite");
        var result = await store.RunAnyAsync(new Dictionary<string, string?>(), "rollups", "rebuild", "--from", "2026-03-01T00:10:00Z", "--to", "2026-03-02");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --from: '2026-03-01T00:10:00Z' is not on a 15-minute edge", result.Stderr, StringComparison.Ordinal);
    }

    private static List<string> Sorted(CdrAggregate a) =>
        [.. a.Rows.Select(r => $"{r.Bucket}|{r.Route}|{r.Attempts}|{r.Answered}|{r.AnsweredSeconds}").Order(StringComparer.Ordinal)];
}
