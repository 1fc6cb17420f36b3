using CarrierReports.Delivery;
using CarrierReports.Rendering;

namespace CarrierReports.Runs;

/// <summary>A run as <c>run</c> and <c>runs show</c> print it: period, outcome, each file and each recipient.</summary>
public static class RunPrinter
{
    /// <param name="archiveRoot">When given (<c>runs show</c>), each file's archive folder is printed under it.</param>
    public static async Task WriteAsync(RunLedger ledger, TextWriter stdout, RunRecord run, CancellationToken cancellationToken, string? archiveRoot = null)
    {
        await stdout.WriteLineAsync($"run {run.RunId}: {run.Status.Name()} — subscription {run.SubscriptionId}, node {run.Node}");
        await stdout.WriteLineAsync($"  period    {ReportFormat.UtcTime(run.PeriodFrom)} to {ReportFormat.UtcTime(run.PeriodTo)} ({run.TimeZone}, range {run.Range})");
        await stdout.WriteLineAsync($"  scheduled {ReportFormat.UtcTime(run.ScheduledAt)}, started {ReportFormat.UtcTime(run.StartedAt)}");
        if (run.Note is not null)
        {
            await stdout.WriteLineAsync($"  note      {run.Note}");
        }

        if (run.Error is not null)
        {
            await stdout.WriteLineAsync($"  error     {run.Error}");
        }

        foreach (var a in await ledger.ArtifactsAsync(run.RunId, cancellationToken))
        {
            await stdout.WriteLineAsync($"  file      {a.FileName} {a.Bytes:N0} bytes sha256 {a.Sha256} archive {a.ArchiveId}");
            if (archiveRoot is not null && a.ArchivePath is { Length: > 0 } path)
            {
                await stdout.WriteLineAsync($"            at {Path.Combine(archiveRoot, path)}");
            }
        }

        foreach (var d in await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken))
        {
            await stdout.WriteLineAsync($"  mail      {d.Kind.Name()} {d.Recipient}: {d.Outcome.Name()} after {d.Attempts} attempt(s), {d.SmtpReply ?? d.Error}, Message-ID {d.MessageId}");
        }
    }
}
