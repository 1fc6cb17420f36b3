using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Api;

/// <summary>The operator actions' tables on both databases: created by the migration, rows written and read back as they were.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperatorStoresTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task BackfillJobs_KeepProgress_CancelOnlyUnfinished_AndInterruptTheNodesLeftovers(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider, configure: s => s.AddOperatorActions());
        var jobs = db.Get<BackfillJobStore>();
        var at = db.Clock.GetUtcNow();
        BackfillJob Job(string id, string node) => new(id, "daily-1", "1", "2026-11-01", "2026-11-03", at.AddDays(-30), at.AddDays(-28),
            BackfillStates.Queued, 2, 0, 0, null, null, false, node, "ops", at, at, null);
        await jobs.AddAsync(Job("a", "n1"), Ct);
        await jobs.AddAsync(Job("b", "n1"), Ct);
        await jobs.AddAsync(Job("c", "n2"), Ct);

        var fire = new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);
        await jobs.UpdateAsync("a", BackfillStates.Running, 2, 1, 1, fire, "boom", Ct);
        var running = (await jobs.FindAsync("a", Ct))!;
        Assert.Equal((BackfillStates.Running, 2, 1, 1, (DateTimeOffset?)fire, "boom", (DateTimeOffset?)null),
            (running.State, running.Total, running.Done, running.Failed, running.CurrentFire, running.LastError, running.FinishedAt));
        Assert.Equal(at.AddDays(-30), running.RangeFrom);

        Assert.True(await jobs.RequestCancelAsync("a", Ct));
        Assert.True((await jobs.FindAsync("a", Ct))!.CancelRequested);
        await jobs.UpdateAsync("a", BackfillStates.Cancelled, 2, 1, 1, null, "boom", Ct);
        Assert.False(await jobs.RequestCancelAsync("a", Ct));
        var cancelled = (await jobs.FindAsync("a", Ct))!;
        Assert.Equal(BackfillStates.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);

        // A finished job is never changed again; only n1's unfinished job is interrupted.
        await jobs.UpdateAsync("a", BackfillStates.Running, 2, 2, 0, null, null, Ct);
        Assert.Equal(BackfillStates.Cancelled, (await jobs.FindAsync("a", Ct))!.State);
        Assert.Equal(1, await jobs.InterruptAsync("n1", Ct));
        Assert.Equal(BackfillStates.Interrupted, (await jobs.FindAsync("b", Ct))!.State);
        Assert.Equal(BackfillStates.Queued, (await jobs.FindAsync("c", Ct))!.State);
        Assert.Null(await jobs.FindAsync("nope", Ct));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Resends_AreListedPerPeriod_AndLeaveTheDeliveriesAlone(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider, configure: s => s.AddOperatorActions());
        var resends = db.Get<ResendStore>();
        var from = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        ResendRecord Resend(string id, string to, bool other, int minutes) => new(id, "run-1", "daily-1", from, from.AddDays(1), to, other, $"<{id}@x>",
            "delivered", "250 ok", 1, null, "a.csv sha256:00", "ops", db.Clock.GetUtcNow().AddMinutes(minutes));
        await resends.AddAsync(Resend("r2", "new@example.com", true, 5), Ct);
        await resends.AddAsync(Resend("r1", "noc@example.com", false, 1), Ct);
        await resends.AddAsync(Resend("r3", "noc@example.com", false, 1) with { PeriodFrom = from.AddDays(1) }, Ct);

        var listed = await resends.ListAsync("daily-1", from, from.AddDays(1), Ct);
        Assert.Equal([("r1", "noc@example.com", false), ("r2", "new@example.com", true)], listed.Select(r => (r.ResendId, r.Recipient, r.OtherAddress)));
        Assert.Equal(Resend("r1", "noc@example.com", false, 1), listed[0]);
        Assert.Null(await resends.RunOfPeriodAsync("daily-1", from, Ct));
        Assert.Null(await resends.ArchivingRunAsync("daily-1", from, from.AddDays(1), Ct));
        Assert.Equal(0L, Convert.ToInt64(await db.ScalarAsync("SELECT count(*) FROM cr_deliveries"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
