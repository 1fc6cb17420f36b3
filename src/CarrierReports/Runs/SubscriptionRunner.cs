using CarrierReports.Archive;
using CarrierReports.Cli;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Scheduling;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using CarrierReports.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>
/// One run of one subscription for the period of one fire time: ledger row, report, files, archive, mail, outcome.
/// The scheduler, catch-up, retries, <c>run</c> and <c>backfill</c> all come through here.
/// </summary>
/// <remarks>
/// Exactly-once delivery: before anything is sent, the ledger is asked which recipients already have this period; they
/// are skipped, and when every recipient has it, nothing is rendered or sent. The Message-ID is derived from
/// (subscription, period, recipient), so the one window where a duplicate is possible — the SMTP server accepted the
/// message but the node died before the ledger recorded it — produces the same Message-ID again (see README).
/// A run that cannot produce every file, archive them, or deliver to every recipient is recorded as failed.
/// </remarks>
public sealed partial class SubscriptionRunner(
    AsrPerRouteService reports,
    ReportArtifacts artifacts,
    TemplateRenderer templates,
    ArchiveStore archive,
    MailDelivery mail,
    RunLedger ledger,
    IConfiguration configuration,
    IOptions<SchedulingOptions> options,
    IOptions<TestFaultOptions> faults,
    TimeProvider time,
    ILogger<SubscriptionRunner> logger)
{
    private int _paused;

    public string Node { get; } = options.Value.ResolveNodeName();

    public async Task<RunRecord> RunAsync(Subscription s, DateTimeOffset asOf, string trigger, int attempt, CancellationToken cancellationToken)
    {
        var zone = Zones.Find(s.TimeZone, "TimeZone");
        var period = RangeExpression.Resolve(s.Range, zone, asOf, "Range");
        var bucket = BucketSizes.Parse(s.Bucket, "Bucket");
        var run = await ledger.BeginAsync(new RunStart(s.Id, period.UtcFrom, period.UtcTo, zone.Id, s.Range, asOf, Node, trigger, attempt),
            options.Value.StaleRunAfter, cancellationToken);
        LogStarted(logger, run.RunId, s.Id, period.UtcFrom, period.UtcTo, Node);

        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(run.RunId, heartbeatStop.Token);
        try
        {
            var recipients = Recipients(s);
            var already = (await ledger.DeliveriesAsync(s.Id, period.UtcFrom, period.UtcTo, cancellationToken))
                .Where(d => d.Outcome == RunLedger.Delivered).Select(d => d.Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (recipients.All(already.Contains))
            {
                return await CompleteAsync(run, RunStatus.Succeeded, null, $"already delivered to all {recipients.Count} recipients; nothing sent", null, null, cancellationToken);
            }

            var request = new AsrPerRouteRequest(s.Carrier, CarrierNames.Lookup(configuration, s.Carrier), period, bucket);
            var report = await reports.RunAsync(request, cancellationToken);
            if (report.IsEmpty && s.SkipIfEmpty)
            {
                return await CompleteAsync(run, RunStatus.SkippedEmpty, null, "no CDRs in the period; skip-if-empty is set, nothing sent", report.Rows.Count, 0, cancellationToken);
            }

            var renderOptions = new RenderOptions
            {
                AsrWarningThresholdPct = s.AsrWarningThresholdPct,
                MinimumSample = s.MinimumSample,
                TemplateFolder = s.TemplateFolder is { Length: > 0 } f ? f : null,
            };
            var formats = ReportFormats.ParseList(string.Join(',', SubscriptionValidator.Formats(s)), "Formats");
            var files = await artifacts.RenderAsync(report, formats, renderOptions, cancellationToken);

            ArchiveStoreResult stored;
            try
            {
                stored = await archive.StoreAsync(
                    new ArchiveRun(run.RunId, s.Id, s.Carrier, s.Range, zone.Id, period.UtcFrom, period.UtcTo, bucket.Name(), formats.Select(x => x.ToString().ToLowerInvariant()).ToList(), report.GeneratedAt),
                    files, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing is sent without its archived copy; the operator needs the folder to fix.
                throw new IOException($"archive: cannot store the report under '{archive.Root}' (setting Archive:Root): {ex.Message}", ex);
            }

            await ledger.AddArtifactsAsync(files.Select(a => new ArtifactRecord(run.RunId, a.FileName, a.Format, a.Content.Length, a.Sha256, stored.Entry.Id, stored.Entry.Path + "/" + a.FileName)), cancellationToken);

            await PauseForTestAsync(TestFaultPoint.AfterRender, run, cancellationToken);

            // A node whose heartbeats could not reach the database may have been declared stale meanwhile, and
            // another node may now own the period: never send from a run that is no longer the running one.
            if (!await ledger.HeartbeatAsync(run.RunId, cancellationToken))
            {
                throw new RunBusyException(s.Id, run.RunId + " (this run, declared stale by another node)", Node, time.GetUtcNow());
            }

            var attachments = files.Where(a => a.Format != "manifest").ToList();
            var references = attachments.Select(a => new ArchiveReference(a.FileName, $"archive entry {stored.Entry.Id} ({stored.Entry.Path}/{a.FileName}, SHA-256 {a.Sha256})")).ToList();
            var content = templates.RenderMail(report, renderOptions, attachments, MailExtras.None, cancellationToken);
            var withoutAttachments = templates.RenderMail(report, renderOptions, attachments, new MailExtras { AttachmentsOmitted = true, ArchiveReferences = references }, cancellationToken);
            var result = await mail.SendAsync(
                new MailRequest(new DeliveryKey(s.Id, period.UtcFrom, period.UtcTo), new MailRecipients(s.Recipients.To, s.Recipients.Cc, s.Recipients.Bcc),
                    content, withoutAttachments, attachments, asOf) { Skip = already },
                cancellationToken);

            await PauseForTestAsync(TestFaultPoint.AfterSend, run, cancellationToken);
            foreach (var r in result.Recipients)
            {
                await ledger.RecordDeliveryAsync(new DeliveryRecord(s.Id, period.UtcFrom, period.UtcTo, r.Address, r.Kind.ToString().ToLowerInvariant(), r.MessageId,
                    r.Outcome == DeliveryOutcome.Delivered ? RunLedger.Delivered : RunLedger.DeliveryFailed, r.Reply, r.Attempts, r.LastError, run.RunId, time.GetUtcNow()), cancellationToken);
            }

            var sent = result.Recipients.Count(r => r.Outcome == DeliveryOutcome.Delivered);
            var note = $"sent to {sent} of {result.Recipients.Count} recipients" +
                       (already.Count > 0 ? $"; {already.Count} already had it" : "") +
                       (result.AttachmentsOmitted ? $"; attachments ({result.AttachmentBytes:N0} bytes) over the size limit, replaced by archive references" : "") +
                       $"; archive {stored.Entry.Id}";
            var failed = result.Failed.ToList();
            if (failed.Count > 0)
            {
                var error = $"{failed.Count} of {result.Recipients.Count} recipients failed: " +
                            string.Join("; ", failed.Select(r => $"{r.Address}: {r.Reply ?? r.LastError}"));
                await CompleteAsync(run, RunStatus.Failed, error, note, report.Rows.Count, report.Total.Attempts, cancellationToken);
                throw new DeliveryFailedException(error);
            }

            return await CompleteAsync(run, RunStatus.Succeeded, null, note, report.Rows.Count, report.Total.Attempts, cancellationToken);
        }
        catch (Exception ex) when (ex is not DeliveryFailedException)
        {
            LogFailed(logger, run.RunId, s.Id, ex.Message);
            try
            {
                // Record the failure even when the caller cancelled: the ledger must never keep a run "running" by mistake.
                await CompleteAsync(run, RunStatus.Failed, ex.Message, null, null, null, CancellationToken.None);
            }
            catch (Exception recordError) when (recordError is not OperationCanceledException)
            {
                // The database itself may be what failed; the row then goes stale and the stale-run check retries the period.
                LogRecordFailed(logger, run.RunId, recordError.Message);
            }

            throw;
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Tells the operations address (when configured) that a run has failed for good.</summary>
    public async Task AlertAsync(Subscription s, DateTimeOffset asOf, int attempts, Exception error, CancellationToken cancellationToken)
    {
        var zone = Zones.Find(s.TimeZone, "TimeZone");
        var period = RangeExpression.Resolve(s.Range, zone, asOf, "Range");
        var subject = $"CarrierReports: subscription {s.Id} failed for {Rendering.ReportFormat.LocalTime(period.LocalFrom)}";
        var text = $"""
            Subscription {s.Id} ({s.Name}) failed after {attempts} attempt(s) on node {Node}.
            Period: {Rendering.ReportFormat.LocalTime(period.LocalFrom)} to {Rendering.ReportFormat.LocalTime(period.LocalTo)} ({zone.Id}),
                    UTC {Rendering.ReportFormat.UtcTime(period.UtcFrom)} to {Rendering.ReportFormat.UtcTime(period.UtcTo)}
            Error: {error.Message}

            See: runs list --subscription {s.Id} --status failed
            """;
        try
        {
            await mail.SendAlertAsync(new DeliveryKey("ops-" + s.Id, period.UtcFrom, period.UtcTo), subject, text, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogAlertFailed(logger, s.Id, ex.Message);
        }
    }

    private static List<string> Recipients(Subscription s) =>
        s.Recipients.To.Concat(s.Recipients.Cc).Concat(s.Recipients.Bcc)
            .Select(a => MimeKit.MailboxAddress.Parse(a).Address.ToLowerInvariant()).Distinct().ToList();

    private async Task<RunRecord> CompleteAsync(RunRecord run, string status, string? error, string? note, int? rows, long? attempts, CancellationToken cancellationToken)
    {
        await ledger.CompleteAsync(run.RunId, status, error, note, rows, attempts, cancellationToken);
        LogCompleted(logger, run.RunId, run.SubscriptionId, status, note ?? error ?? "");
        return run with { Status = status, Error = error, Note = note, ReportRows = rows, Attempts = attempts, FinishedAt = time.GetUtcNow() };
    }

    /// <summary>The fault-injection seam of <see cref="TestFaultOptions"/>; does nothing unless a test configured it.</summary>
    private async Task PauseForTestAsync(TestFaultPoint point, RunRecord run, CancellationToken cancellationToken)
    {
        var f = faults.Value;
        if (f.PauseAt != point || f.PauseFile is not { Length: > 0 } marker || Interlocked.Exchange(ref _paused, 1) == 1)
        {
            return;
        }

        LogTestPause(logger, run.RunId, point, marker);
        await File.WriteAllTextAsync(marker, $"{run.RunId} {run.SubscriptionId} {run.PeriodFrom:O} {run.PeriodTo:O} {Node}\n", cancellationToken);
        var until = time.GetUtcNow() + f.PauseTimeout;
        while (File.Exists(marker) && time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private async Task HeartbeatAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await ledger.HeartbeatAsync(runId, cancellationToken))
                    {
                        LogClaimLost(logger, runId);
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogHeartbeatFailed(logger, runId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {SubscriptionId} started for {From:O}..{To:O} on {Node}")]
    private static partial void LogStarted(ILogger logger, string runId, string subscriptionId, DateTimeOffset from, DateTimeOffset to, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {SubscriptionId}: {Status} ({Detail})")]
    private static partial void LogCompleted(ILogger logger, string runId, string subscriptionId, string status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} of {SubscriptionId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string runId, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not alert operations about {SubscriptionId}: {Reason}")]
    private static partial void LogAlertFailed(ILogger logger, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: recording its failure failed too ({Reason}); it will be found stale and retried")]
    private static partial void LogRecordFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} is no longer marked running (declared stale by another node); it will not send")]
    private static partial void LogClaimLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TEST FAULT: run {RunId} paused at {Point}; marker {Marker}")]
    private static partial void LogTestPause(ILogger logger, string runId, TestFaultPoint point, string marker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of run {RunId} failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string runId, string reason);
}

/// <summary>At least one recipient could not be delivered to; the run is recorded as failed.</summary>
public sealed class DeliveryFailedException(string message) : Exception(message);
