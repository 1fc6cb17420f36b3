using CarrierReports.Storage;

namespace CarrierReports.Runs;

/// <summary>One row of <c>cr_runs</c> as Dapper reads it (columns aliased to these names); see <see cref="RunLedger.RunColumns"/>.</summary>
internal sealed class RunRow
{
    public string RunId { get; set; } = "";
    public string SubscriptionId { get; set; } = "";
    public DateTime PeriodFrom { get; set; }
    public DateTime PeriodTo { get; set; }
    public string TimeZone { get; set; } = "";
    public string Range { get; set; } = "";
    public DateTime ScheduledAt { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string Node { get; set; } = "";
    public string Trigger { get; set; } = "";
    public int Attempt { get; set; }
    public string Status { get; set; } = "";
    public string? Error { get; set; }
    public string? Note { get; set; }
    public int? ReportRows { get; set; }
    public long? Attempts { get; set; }

    public RunRecord ToRecord() => new(RunId, SubscriptionId, Instants.FromDb(PeriodFrom), Instants.FromDb(PeriodTo), TimeZone, Range,
        Instants.FromDb(ScheduledAt), Instants.FromDb(StartedAt), Instants.FromDb(FinishedAt), Node, RunNames.ParseTrigger(Trigger), Attempt,
        RunNames.ParseStatus(Status), Error, Note, ReportRows, Attempts);
}

/// <summary>One row of <c>cr_run_artifacts</c>.</summary>
internal sealed class ArtifactRow
{
    public string RunId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string Format { get; set; } = "";
    public long Bytes { get; set; }
    public string Sha256 { get; set; } = "";
    public string? ArchiveId { get; set; }
    public string? ArchivePath { get; set; }
}
