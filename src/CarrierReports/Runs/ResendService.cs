using System.Net;
using System.Security.Cryptography;
using CarrierReports.Access;
using CarrierReports.Archive;
using CarrierReports.Delivery;
using CarrierReports.Rendering;

namespace CarrierReports.Runs;

/// <summary>
/// Resends a delivered period to one address: the archived files, byte for byte as delivered, each checked against the
/// SHA-256 the archive and the run ledger recorded (a mismatch sends nothing). Recorded in <c>cr_resends</c>, never in
/// <c>cr_deliveries</c>, so exactly-once delivery of the period is untouched.
/// </summary>
public sealed class ResendService(RunLedger ledger, ResendStore resends, ArchiveStore archive, MailDelivery mail, TimeProvider time)
{
    public async Task<ResendRecord> ResendAsync(RunRecord run, string? recipientText, bool allowOtherAddress, Actor actor, CancellationToken cancellationToken)
    {
        var recipient = MailAddresses.Parse(recipientText, "recipient").Address.ToLowerInvariant();
        var delivered = (await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken))
            .Where(d => d.Outcome == DeliveryOutcome.Delivered).Select(d => d.Recipient.ToLowerInvariant()).ToList();
        if (delivered.Count == 0)
        {
            throw new OperatorActionException(409, "Not delivered", $"the period of run {run.RunId} was not delivered to anyone; retry the run instead of resending it");
        }

        var other = !delivered.Contains(recipient);
        if (other && !allowOtherAddress)
        {
            throw new InputException("recipient", $"'{recipient}' did not receive this period (it went to {string.Join(", ", delivered)}); set allowOtherAddress to true to send it to another address");
        }

        var archivingRun = await resends.ArchivingRunAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken)
                           ?? throw new OperatorActionException(409, "Nothing archived", $"no run of this period archived its files; nothing to resend");
        var (entry, files) = await ReadArchivedAsync(archivingRun, cancellationToken);
        var resendId = Guid.NewGuid().ToString("N");
        var request = new MailRequest(new DeliveryKey(run.SubscriptionId, run.PeriodFrom, run.PeriodTo), MailRecipients.ToOnly(recipient),
            Content(entry, files, actor, attached: true), Content(entry, files, actor, attached: false), files, time.GetUtcNow())
        {
            Purpose = "resend-" + resendId,
            Headers = [new("X-CarrierReports-Resend", $"{resendId}; archive entry {entry.Id}")],
        };
        var r = (await mail.SendAsync(request, cancellationToken)).Recipients[0];
        var record = new ResendRecord(resendId, archivingRun, run.SubscriptionId, run.PeriodFrom, run.PeriodTo, recipient, other, r.MessageId, r.Outcome.Name(),
            r.Reply, r.Attempts, r.LastError, string.Join('\n', files.Select(f => $"{f.FileName} sha256:{f.Sha256}")), actor.Name, time.GetUtcNow());
        await resends.AddAsync(record, cancellationToken);
        return record;
    }

    /// <summary>The archived files of the run, read through the archive's checked export and compared with the ledger's SHA-256 of each.</summary>
    private async Task<(ArchiveEntry Entry, IReadOnlyList<Artifact> Files)> ReadArchivedAsync(string runId, CancellationToken cancellationToken)
    {
        var recorded = (await ledger.ArtifactsAsync(runId, cancellationToken)).Where(a => a.ArchiveId is not null && a.Format != "manifest").ToList();
        var temp = Directory.CreateTempSubdirectory("carrierreports-resend-").FullName;
        try
        {
            var export = await archive.ExportAsync(recorded[0].ArchiveId!, temp, cancellationToken);
            if (!export.Ok)
            {
                throw Integrity(string.Join("; ", export.Problems.Select(p => $"{p.FileName ?? p.Path}: {p.Detail}")));
            }

            var files = new List<Artifact>();
            foreach (var a in recorded)
            {
                var stored = export.Entry.Files.FirstOrDefault(f => f.FileName == a.FileName) ?? throw Integrity($"{a.FileName}: not in archive entry {export.Entry.Id}");
                var bytes = await File.ReadAllBytesAsync(Path.Combine(temp, a.FileName), cancellationToken);
                var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (sha != a.Sha256)
                {
                    throw Integrity($"{a.FileName}: SHA-256 {sha} differs from {a.Sha256}, recorded by run {runId} when it was delivered");
                }

                files.Add(new Artifact(a.Format, a.FileName, stored.ContentType, bytes));
            }

            return (export.Entry, files);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static OperatorActionException Integrity(string detail) =>
        new(500, "The archived files do not match their recorded SHA-256; nothing was sent", detail);

    /// <summary>A plain covering note: the period's own mail text needs the report, which a resend does not rebuild (the CDRs may have changed).</summary>
    private static MailContent Content(ArchiveEntry entry, IReadOnlyList<Artifact> files, Actor actor, bool attached)
    {
        var period = $"{ReportFormat.LocalTime(entry.LocalFrom)} to {ReportFormat.LocalTime(entry.LocalTo)} ({entry.Run.TimeZone})";
        var subject = $"Resend: ASR per route report, carrier {entry.Run.Carrier}, {period}";
        var lines = new List<string>
        {
            $"This is a copy of the report of subscription {entry.Run.Subscription} for {period}, resent at the request of {actor.Name}.",
            attached
                ? "The attached files are the originals from the archive, byte for byte as delivered:"
                : "The files are too large to attach; they are in the report archive:",
        };
        lines.AddRange(files.Select(f => $"- {f.FileName} ({f.Content.Length:N0} bytes, SHA-256 {f.Sha256})"));
        lines.Add($"Archive entry {entry.Id} ({entry.Path}).");
        var html = string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>\n"));
        return new MailContent(subject, html, string.Join('\n', lines) + "\n");
    }
}
