using CarrierReports.Cdr;
using CarrierReports.Delivery;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Runs;

/// <summary>The claim of a period: one live holder at a time, a stale one taken over, and a run that lost its claim never sends.</summary>
public sealed class RunClaimTests : IAsyncDisposable
{
    private static readonly DateTimeOffset From = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 26, 6, 0, 0, TimeSpan.Zero));
    private readonly ServiceDatabase _db;
    private readonly RunLedger _ledger;

    public RunClaimTests()
    {
        _db = new ServiceDatabase(Options.Create(new DatabaseOptions { Provider = CdrProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_dir.Path, "service.db")}" }));
        _ledger = new RunLedger(_db, new DeliveryLedger(new DeliveryTable(_db)), _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _dir.Dispose();
    }

    /// <remarks>The heartbeat is a day apart, so a claim's liveness is only what each test writes.</remarks>
    private RunClaims Claims(string node) => new(_ledger, new RunFaults(Options.Create(new TestFaultOptions()), _time, NullLogger<RunFaults>.Instance),
        Options.Create(new RunOptions { NodeName = node, StaleRunAfter = TimeSpan.FromMinutes(10), HeartbeatInterval = TimeSpan.FromDays(1) }),
        _time, NullLogger<RunClaims>.Instance);

    private static RunStart Start(RunTrigger trigger = RunTrigger.Schedule) =>
        new("acme", From, From.AddDays(1), "UTC", "previous-day", From.AddDays(1).AddHours(6), "", trigger, 1);

    [Fact]
    public async Task SecondClaimOfALivePeriod_IsBusy_NamingTheHolder()
    {
        await using var first = await Claims("node-a").ClaimAsync(Start(), CancellationToken.None);

        var busy = await Assert.ThrowsAsync<RunBusyException>(() => Claims("node-b").ClaimAsync(Start(RunTrigger.Manual), CancellationToken.None));

        Assert.Equal(first.Run.RunId, busy.HolderRunId);
        Assert.Equal("node-a", busy.HolderNode);
        Assert.Equal(_time.GetUtcNow(), busy.HolderHeartbeat);
    }

    [Fact]
    public async Task StaleClaim_IsTakenOver_AndTheOldRunCannotConfirm()
    {
        await using var old = await Claims("node-a").ClaimAsync(Start(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11)); // no heartbeat in between: node-a is as good as dead

        await using var taker = await Claims("node-b").ClaimAsync(Start(RunTrigger.Retry), CancellationToken.None);

        Assert.Equal("node-b", taker.Run.Node);
        var runs = await _ledger.ListAsync("acme", null, 10, CancellationToken.None);
        var stale = Assert.Single(runs, r => r.RunId == old.Run.RunId);
        Assert.Equal(RunStatus.Failed, stale.Status);
        Assert.StartsWith("stale: node node-a", stale.Error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RunBusyException>(() => old.ConfirmAsync(TestFaultPoint.None, CancellationToken.None));
        await taker.ConfirmAsync(TestFaultPoint.None, CancellationToken.None);
    }

    [Fact]
    public async Task CompleteAndFail_AreRecordedWithTheirStatusNames()
    {
        var claims = Claims("node-a");
        await using (var done = await claims.ClaimAsync(Start(), CancellationToken.None))
        {
            await done.CompleteAsync(RunStatus.SkippedEmpty, null, "no CDRs", 0, 0, CancellationToken.None);
        }

        var other = Start() with { PeriodFrom = From.AddDays(1), PeriodTo = From.AddDays(2) };
        await using (var failed = await claims.ClaimAsync(other, CancellationToken.None))
        {
            await failed.FailAsync(new IOException("disk full"));
        }

        var runs = await _ledger.ListAsync("acme", null, 10, CancellationToken.None);
        Assert.Equal([RunStatus.Failed, RunStatus.SkippedEmpty], runs.OrderByDescending(r => r.PeriodFrom).Select(r => r.Status));
        Assert.Equal("disk full", runs.Single(r => r.Status == RunStatus.Failed).Error);
        Assert.Single(await _ledger.ListAsync("acme", RunStatus.SkippedEmpty, 10, CancellationToken.None));
    }
}
