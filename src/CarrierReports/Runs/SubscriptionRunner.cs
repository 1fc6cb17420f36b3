using CarrierReports.Archive;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using CarrierReports.Time;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.Runs;

/// <summary>
/// One run of one subscription for the period of one fire time: claim the period, build the report, render the files,
/// archive them, mail them, record the outcome. The scheduler, catch-up, retries, <c>run</c> and <c>backfill</c> all
/// come through here.
/// </summary>
/// <remarks>
/// Exactly-once delivery: before anything is sent, the ledger is asked which recipients already have this period; they
/// are skipped, and when every recipient has it, nothing is rendered or sent. The Message-ID is derived from
/// (subscription, period, recipient), so the one window where a duplicate is possible — the SMTP server accepted the
/// message but the node died before the ledger recorded it — produces the same Message-ID again (see README).
/// A run that cannot produce every file, archive them, or deliver to every recipient is recorded as failed.
/// </remarks>
public sealed class SubscriptionRunner(
    RunClaims claims,
    AsrPerRouteService reports,
    ReportArtifacts artifacts,
    TemplateRenderer templates,
    ArchiveStore archive,
    ReportMailer mailer,
    RunLedger ledger,
    SharedReports shared,
    IConfiguration configuration)
{
    public string Node => claims.Node;

    public async Task<RunRecord> RunAsync(Subscription s, DateTimeOffset asOf, RunTrigger trigger, int attempt, CancellationToken cancellationToken)
    {
        var period = s.PeriodFor(asOf);
        var key = new DeliveryKey(s.Id, period.UtcFrom, period.UtcTo);
        await using var claim = await claims.ClaimAsync(
            new RunStart(s.Id, period.UtcFrom, period.UtcTo, s.TimeZone.Id, s.Range, asOf, Node, trigger, attempt), cancellationToken);
        try
        {
            var already = await mailer.DeliveredAsync(key, cancellationToken);
            if (s.Addresses.All(already.Contains))
            {
                return await claim.CompleteAsync(RunStatus.Succeeded, null, $"already delivered to all {s.Addresses.Count} recipients; nothing sent", null, null, cancellationToken);
            }

            // The mail shows the change against the previous period, so a run always needs it. Generated "at" the
            // period's first fire time: a re-run (a recipient added, a retry) then renders the same bytes.
            var generatedAt = await ledger.FirstScheduledAsync(s.Id, period.UtcFrom, period.UtcTo, cancellationToken);
            // Render once, send many: subscriptions due together that ask for the same report share one rendering.
            await using var lease = await shared.AcquireAsync(SharedReportKey.For(s, period, generatedAt),
                ct => RenderAsync(s, period, generatedAt, ct), cancellationToken);
            Telemetry.ReportMetrics.SharedRun(lease.Reused);
            var (report, options, files) = lease.Value;
            if (report.IsEmpty && s.SkipIfEmpty)
            {
                return await claim.CompleteAsync(RunStatus.SkippedEmpty, null, "no CDRs in the period; skip-if-empty is set, nothing sent", report.Rows.Count, 0, cancellationToken);
            }

            var stored = await ArchiveAsync(claim.Run, s, report, files, cancellationToken);
            await claim.ConfirmAsync(TestFaultPoint.AfterRender, cancellationToken);
            var result = await mailer.DeliverAsync(Mail(claim, s, key, report, options, files, stored.Entry, asOf) with { AlreadyDelivered = already }, cancellationToken);
            return await CompleteAsync(claim, result, already.Count, stored.Entry, report, cancellationToken);
        }
        catch (Exception ex) when (ex is not DeliveryFailedException)
        {
            await claim.FailAsync(ex);
            throw;
        }
    }

    /// <summary>Queries and renders the report; its files live until every run that shares them is done.</summary>
    private async Task<SharedReport> RenderAsync(Subscription s, ReportPeriod period, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var request = new AsrPerRouteRequest(s.Carrier, CarrierNames.Lookup(configuration, s.Carrier), period, s.Bucket) { GeneratedAt = generatedAt };
        var report = await reports.RunAsync(request, cancellationToken);
        var options = RenderOptionsFor(s, report, cancellationToken);
        return new SharedReport(report, options, await artifacts.RenderAsync(report, s.Formats, options, cancellationToken));
    }

    /// <summary>The subscription's presentation settings, with the report texts rendered once for every file and the mail.</summary>
    private RenderOptions RenderOptionsFor(Subscription s, AsrPerRouteReport report, CancellationToken cancellationToken)
    {
        var options = new RenderOptions { AsrWarningThresholdPct = s.AsrWarningThresholdPct, MinimumSample = s.MinimumSample, TemplateFolder = s.TemplateFolder };
        return options with { Texts = templates.RenderReportTexts(report, options, cancellationToken) };
    }

    private async Task<ArchiveStoreResult> ArchiveAsync(RunRecord run, Subscription s, AsrPerRouteReport report, IReadOnlyList<Artifact> files, CancellationToken cancellationToken)
    {
        var entry = new ArchiveRun(run.RunId, s.Id, s.Carrier, s.Range, s.TimeZone.Id, run.PeriodFrom, run.PeriodTo, s.Bucket.Name(),
            [.. s.Formats.Select(x => x.ToString().ToLowerInvariant())], report.GeneratedAt);
        ArchiveStoreResult stored;
        try
        {
            stored = await archive.StoreAsync(entry, files, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing is sent without its archived copy; the operator needs the folder to fix.
            throw new IOException($"archive: cannot store the report under '{archive.Root}' (setting Archive:Root): {ex.Message}", ex);
        }

        await ledger.AddArtifactsAsync(files.Select(a => new ArtifactRecord(run.RunId, a.FileName, a.Format, a.Length, a.Sha256, stored.Entry.Id, stored.Entry.Path + "/" + a.FileName)), cancellationToken);
        return stored;
    }

    private ReportMail Mail(RunClaim claim, Subscription s, DeliveryKey key, AsrPerRouteReport report, RenderOptions options, IReadOnlyList<Artifact> files, ArchiveEntry entry, DateTimeOffset asOf)
    {
        var attachments = files.Where(a => a.Format != "manifest").ToList();
        var references = attachments.Select(a => new ArchiveReference(a.FileName, $"archive entry {entry.Id} ({entry.Path}/{a.FileName}, SHA-256 {a.Sha256})")).ToList();
        return new ReportMail(key, s.Recipients, s.Addresses, attachments, references,
            extras => templates.RenderMail(report, options, attachments, extras), asOf, claim.Run.RunId)
        {
            BeforeRecording = c => claim.PauseForTestAsync(TestFaultPoint.AfterSend, c),
        };
    }

    /// <summary>Succeeded when every recipient has the report; otherwise failed, and <see cref="DeliveryFailedException"/> for the retry.</summary>
    private static async Task<RunRecord> CompleteAsync(RunClaim claim, DeliveryResult result, int already, ArchiveEntry entry, AsrPerRouteReport report, CancellationToken cancellationToken)
    {
        var sent = result.Recipients.Count(r => r.Outcome == DeliveryOutcome.Delivered);
        var note = $"sent to {sent} of {result.Recipients.Count} recipients" +
                   (already > 0 ? $"; {already} already had it" : "") +
                   (result.AttachmentsOmitted ? $"; attachments ({result.AttachmentBytes:N0} bytes) over the size limit, replaced by archive references" : "") +
                   $"; archive {entry.Id}";
        var failed = result.Failed.ToList();
        if (failed.Count == 0)
        {
            return await claim.CompleteAsync(RunStatus.Succeeded, null, note, report.Rows.Count, report.Total.Attempts, cancellationToken);
        }

        var error = $"{failed.Count} of {result.Recipients.Count} recipients failed: " + string.Join("; ", failed.Select(r => $"{r.Address}: {r.Reply ?? r.LastError}"));
        await claim.CompleteAsync(RunStatus.Failed, error, note, report.Rows.Count, report.Total.Attempts, cancellationToken);
        throw new DeliveryFailedException(error);
    }
}

/// <summary>At least one recipient could not be delivered to; the run is recorded as failed.</summary>
public sealed class DeliveryFailedException(string message) : Exception(message);
