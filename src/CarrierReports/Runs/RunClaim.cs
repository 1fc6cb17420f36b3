using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>Takes claims on periods: the ledger row of a run, kept alive by a heartbeat until the run completes.</summary>
public sealed class RunClaims(RunLedger ledger, RunFaults faults, IOptions<RunOptions> options, TimeProvider time, ILogger<RunClaims> logger)
{
    public string Node { get; } = options.Value.ResolveNodeName();

    /// <summary>
    /// Records the run as running and starts its heartbeat. A running run of the same period whose heartbeat is stale is
    /// taken over; a live one makes this throw <see cref="RunBusyException"/>.
    /// </summary>
    public async Task<RunClaim> ClaimAsync(RunStart start, CancellationToken cancellationToken)
    {
        var run = await ledger.BeginAsync(start with { Node = Node }, options.Value.StaleRunAfter, cancellationToken);
        Log.Started(logger, run.RunId, run.SubscriptionId, run.PeriodFrom, run.PeriodTo, Node);
        return new RunClaim(run, ledger, faults, options.Value.HeartbeatInterval, time, logger, cancellationToken);
    }
}

/// <summary>
/// One run's hold on its period. While it is held, a heartbeat tells other nodes the run is alive. Complete it with
/// <see cref="CompleteAsync"/> or <see cref="FailAsync"/>; disposing stops the heartbeat.
/// </summary>
public sealed class RunClaim : IAsyncDisposable
{
    private readonly RunLedger _ledger;
    private readonly RunFaults _faults;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private readonly Task _heartbeat;

    internal RunClaim(RunRecord run, RunLedger ledger, RunFaults faults, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        Run = run;
        _ledger = ledger;
        _faults = faults;
        _time = time;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _heartbeat = HeartbeatAsync(interval, _stop.Token);
    }

    public RunRecord Run { get; private set; }

    /// <summary>
    /// Before anything leaves the node: makes sure this run still holds its period. A node whose heartbeats could not
    /// reach the database may have been declared stale meanwhile, and another node may now own the period. Also the
    /// point where a fault-injection test can stop the run (<paramref name="point"/>).
    /// </summary>
    public async Task ConfirmAsync(TestFaultPoint point, CancellationToken cancellationToken)
    {
        await _faults.AtAsync(point, Run, cancellationToken);
        if (!await _ledger.HeartbeatAsync(Run.RunId, cancellationToken))
        {
            throw new RunBusyException(Run.SubscriptionId, Run.RunId + " (this run, declared stale by another node)", Run.Node, _time.GetUtcNow());
        }
    }

    /// <summary>A fault-injection point that does not check the claim (see <see cref="TestFaultOptions"/>).</summary>
    public Task PauseForTestAsync(TestFaultPoint point, CancellationToken cancellationToken) => _faults.AtAsync(point, Run, cancellationToken);

    public async Task<RunRecord> CompleteAsync(RunStatus status, string? error, string? note, int? rows, long? attempts, CancellationToken cancellationToken)
    {
        await _ledger.CompleteAsync(Run.RunId, status, error, note, rows, attempts, cancellationToken);
        Log.Completed(_logger, Run.RunId, Run.SubscriptionId, status.Name(), note ?? error ?? "");
        Run = Run with { Status = status, Error = error, Note = note, ReportRows = rows, Attempts = attempts, FinishedAt = _time.GetUtcNow() };
        Telemetry.ServiceMetrics.RunCompleted(status.Name(), Run.FinishedAt.Value - Run.StartedAt);
        return Run;
    }

    /// <summary>Records the run as failed, even when the caller was cancelled: the ledger must never keep a run "running" by mistake.</summary>
    public async Task FailAsync(Exception error)
    {
        Log.Failed(_logger, Run.RunId, Run.SubscriptionId, error.Message);
        try
        {
            await CompleteAsync(RunStatus.Failed, error.Message, null, null, null, CancellationToken.None);
        }
        catch (Exception recordError) when (recordError is not OperationCanceledException)
        {
            // The database itself may be what failed; the row then goes stale and the stale-run check retries the period.
            Log.RecordFailed(_logger, Run.RunId, recordError.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
        _stop.Dispose();
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await _ledger.HeartbeatAsync(Run.RunId, cancellationToken))
                    {
                        Log.ClaimLost(_logger, Run.RunId);
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.HeartbeatFailed(_logger, Run.RunId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished.
        }
    }
}
