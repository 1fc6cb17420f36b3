using CarrierReports.Rendering;

namespace CarrierReports.Delivery;

/// <summary>A run's report mail: who gets it, with which files, and how its text is rendered.</summary>
/// <param name="Render">Renders subject and bodies for the given extras; called once, and a second time only when the files are too large to attach.</param>
/// <param name="Addresses">Every distinct recipient (lower-case), the keys of the delivery record.</param>
public sealed record ReportMail(DeliveryKey Key, MailRecipients Recipients, IReadOnlyList<string> Addresses, IReadOnlyList<Artifact> Attachments,
    IReadOnlyList<ArchiveReference> ArchiveReferences, Func<MailExtras, MailContent> Render, DateTimeOffset Date, string RunId)
{
    /// <summary>Recipients (lower-case) that already have this period; they are not sent to again.</summary>
    public IReadOnlySet<string> AlreadyDelivered { get; init; } = new HashSet<string>();

    /// <summary>Runs after the server accepted the mails and before the outcomes are recorded (a test seam for crashes in that window).</summary>
    public Func<CancellationToken, Task>? BeforeRecording { get; init; }
}

/// <summary>
/// The mail step of a run: renders the message, sends it to each recipient who does not have the period yet, and
/// records every recipient's outcome in the delivery ledger (which is what makes delivery exactly-once).
/// </summary>
public sealed class ReportMailer(MailDelivery mail, DeliveryLedger ledger, TimeProvider time)
{
    /// <summary>The recipients (lower-case) that already have the period of <paramref name="key"/>.</summary>
    public Task<IReadOnlySet<string>> DeliveredAsync(DeliveryKey key, CancellationToken cancellationToken) =>
        ledger.DeliveredAsync(key, cancellationToken);

    public async Task<DeliveryResult> DeliverAsync(ReportMail report, CancellationToken cancellationToken)
    {
        var content = report.Render(MailExtras.None);
        var withoutAttachments = () => report.Render(new MailExtras { AttachmentsOmitted = true, ArchiveReferences = report.ArchiveReferences });
        var request = new MailRequest(report.Key, report.Recipients, content, withoutAttachments, report.Attachments, report.Date) { Skip = report.AlreadyDelivered };
        var result = await mail.SendAsync(request, cancellationToken);
        if (report.BeforeRecording is { } hook)
        {
            await hook(cancellationToken);
        }

        foreach (var r in result.Recipients)
        {
            await ledger.RecordAsync(new DeliveryRecord(report.Key.SubscriptionId, report.Key.UtcFrom, report.Key.UtcTo, r.Address, r.Kind, r.MessageId,
                r.Outcome, r.Reply, r.Attempts, r.LastError, report.RunId, time.GetUtcNow()), cancellationToken);
            Telemetry.ServiceMetrics.DeliveryRecorded(r.Outcome == DeliveryOutcome.Delivered ? "delivered" : "failed");
        }

        return result;
    }
}
