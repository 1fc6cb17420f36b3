using CarrierReports.Delivery;

namespace CarrierReports.Runs;

public sealed record RunView(string RunId, string SubscriptionId, string? Carrier, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone,
    string Range, DateTimeOffset ScheduledAt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Node, string Trigger, int Attempt,
    string Status, string? Error, string? Note, int? ReportRows, long? Attempts)
{
    public static RunView From(RunRecord r, string? carrier) =>
        new(r.RunId, r.SubscriptionId, carrier, r.PeriodFrom, r.PeriodTo, r.TimeZone, r.Range, r.ScheduledAt, r.StartedAt, r.FinishedAt, r.Node,
            r.Trigger.Name(), r.Attempt, r.Status.Name(), r.Error, r.Note, r.ReportRows, r.Attempts);
}

/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record RunListView(IReadOnlyList<RunView> Items, string? Next);

/// <param name="ArchivePath">Where the file is kept in the archive (entry folder and file name); null when it was not archived.</param>
public sealed record ArtifactView(string FileName, string Format, long Bytes, string Sha256, string? ArchiveId, string? ArchivePath);

/// <param name="Recipient">Null for a viewer, who sees that a delivery happened but not to which address.</param>
/// <param name="DeliveredByThisRun">False when another run of the same period (an earlier attempt) made this delivery.</param>
public sealed record DeliveryView(string? Recipient, string Kind, string Outcome, string MessageId, string? SmtpReply, int Attempts, string? Error,
    string RunId, bool DeliveredByThisRun, DateTimeOffset UpdatedAt)
{
    public static DeliveryView From(DeliveryRecord d, string runId, bool seesAddresses) =>
        new(seesAddresses ? d.Recipient : null, d.Kind.Name(), d.Outcome.Name(), d.MessageId, d.SmtpReply, d.Attempts, d.Error, d.RunId,
            d.RunId == runId, d.UpdatedAt);
}

public sealed record RunDetailView(RunView Run, IReadOnlyList<ArtifactView> Artifacts, IReadOnlyList<DeliveryView> Deliveries);
