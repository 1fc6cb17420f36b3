using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Api;

/// <summary>Keyset pages of the run ledger: every run exactly once, in order, even with equal start times and runs added meanwhile.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RunSearchTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    internal static async Task InsertRunAsync(IdentityTestDb db, string runId, string subscription, DateTimeOffset startedAt, string status = "succeeded", string node = "n1")
    {
        await db.ExecuteAsync("""
            INSERT INTO cr_runs (run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at, finished_at,
                                 heartbeat_at, node, trigger_kind, attempt, status)
            VALUES (@id, @sub, @from, @to, 'UTC', 'previous-day', @at, @at, @at, @at, @node, 'schedule', 1, @status)
            """, ("id", runId), ("sub", subscription), ("from", startedAt.AddDays(-1).UtcDateTime), ("to", startedAt.UtcDateTime),
            ("at", startedAt.UtcDateTime), ("node", node), ("status", status));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Pages_ListEveryRunOnce_NewestFirst_WhileRunsAreAdded(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var expected = new List<string>();
        for (var i = 0; i < 37; i++)
        {
            // Three runs share each start time, so the run id must break ties.
            var id = $"run-{i:D3}";
            await InsertRunAsync(db, id, i % 2 == 0 ? "even" : "odd", T0.AddHours(i / 3), i % 5 == 0 ? "failed" : "succeeded");
            expected.Add(id);
        }

        var search = new RunSearch(db.Get<ServiceDatabase>());
        var seen = new List<string>();
        RunCursor? after = null;
        var pages = 0;
        do
        {
            var page = await search.SearchAsync(new RunFilter(After: after, Limit: 10), Ct);
            seen.AddRange(page.Runs.Select(r => r.RunId));
            after = page.Next;
            pages++;
            await InsertRunAsync(db, $"new-{pages}", "even", T0.AddDays(5 + pages));
        }
        while (after is not null);

        Assert.Equal(4, pages);
        var newestFirst = expected.OrderByDescending(id => int.Parse(id[4..], System.Globalization.CultureInfo.InvariantCulture) / 3).ThenByDescending(id => id, StringComparer.Ordinal);
        Assert.Equal(newestFirst, seen);

        var failedEven = await search.SearchAsync(new RunFilter(Subscription: "even", Status: RunStatus.Failed, PeriodTo: T0.AddDays(1)), Ct);
        Assert.Equal(["run-030", "run-020", "run-010", "run-000"], failedEven.Runs.Select(r => r.RunId));
        var scoped = await search.SearchAsync(new RunFilter(SubscriptionIds: ["odd"], Limit: 500), Ct);
        Assert.All(scoped.Runs, r => Assert.Equal("odd", r.SubscriptionId));
        Assert.Equal(18, scoped.Runs.Count);
        await Assert.ThrowsAsync<InputException>(() => search.SearchAsync(new RunFilter(Limit: 0), Ct));
    }
}
