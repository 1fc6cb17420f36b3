using System.Threading.Channels;
using CarrierReports.Subscriptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Runs;

/// <summary>Job ids accepted by this process, waiting for <see cref="BackfillWorker"/>.</summary>
public sealed class BackfillQueue
{
    private readonly Channel<string> _jobs = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string jobId) => _jobs.Writer.TryWrite(jobId);

    internal ChannelReader<string> Reader => _jobs.Reader;
}

/// <summary>
/// Runs the backfill jobs this process accepted, one at a time, each period through <see cref="SubscriptionRunner"/>
/// exactly as the <c>backfill</c> command does (so the ledger's claim keeps two nodes from running one period, and
/// recipients who have a period are not sent it again). Progress goes to <c>cr_backfill_jobs</c> after every period,
/// where every node reads it; a cancel request, written there by any node, is honoured between periods.
/// </summary>
public sealed class BackfillWorker(BackfillQueue queue, BackfillJobStore jobs, SubscriptionStore store, SubscriptionRunner runner,
    ILogger<BackfillWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A job this node had queued or running when its process stopped will never finish: say so.
            var interrupted = await jobs.InterruptAsync(runner.Node, stoppingToken);
            if (interrupted > 0)
            {
                Log.BackfillInterrupted(logger, interrupted, runner.Node);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.BackfillFailed(logger, "(start)", ex.Message);
        }

        await foreach (var jobId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(jobId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: InterruptAsync marks the job at the next start; try now so it does not wait for that.
                await jobs.FinishAsync(jobId, BackfillStates.Interrupted, "the process stopped", CancellationToken.None);
                throw;
            }
            catch (Exception ex)
            {
                Log.BackfillFailed(logger, jobId, ex.Message);
                await jobs.FinishAsync(jobId, BackfillStates.Failed, ex.Message, stoppingToken);
            }
        }
    }

    private async Task RunAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State != BackfillStates.Queued)
        {
            return;
        }

        // The subscription as it is now; the span was fixed when the job was accepted.
        var s = (await store.FindAsync(job.SubscriptionId, Access.CarrierScope.All, cancellationToken))?.Subscription
                ?? throw new InvalidOperationException($"subscription '{job.SubscriptionId}' no longer exists");
        var fires = s.FireTimesBetween(job.RangeFrom.AddTicks(-1), job.RangeTo.AddTicks(-1));
        int done = 0, failed = 0;
        string? lastError = null;
        foreach (var fire in fires)
        {
            if ((await jobs.FindAsync(jobId, cancellationToken))?.CancelRequested == true)
            {
                await jobs.UpdateAsync(jobId, BackfillStates.Cancelled, fires.Count, done, failed, null, lastError, cancellationToken);
                return;
            }

            await jobs.UpdateAsync(jobId, BackfillStates.Running, fires.Count, done, failed, fire, lastError, cancellationToken);
            try
            {
                await runner.RunAsync(s, fire, RunTrigger.Backfill, 1, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                lastError = $"{fire:O}: {ex.Message}";
            }

            done++;
        }

        await jobs.UpdateAsync(jobId, failed == 0 ? BackfillStates.Succeeded : BackfillStates.Failed, fires.Count, done, failed, null, lastError, cancellationToken);
    }
}
