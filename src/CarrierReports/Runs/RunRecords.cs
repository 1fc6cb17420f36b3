namespace CarrierReports.Runs;

/// <param name="ScheduledAt">The fire time the period was computed from (never the clock at execution).</param>
public sealed record RunStart(string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone, string Range,
    DateTimeOffset ScheduledAt, string Node, RunTrigger Trigger, int Attempt);

public sealed record RunRecord(string RunId, string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone, string Range,
    DateTimeOffset ScheduledAt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Node, RunTrigger Trigger, int Attempt,
    RunStatus Status, string? Error, string? Note, int? ReportRows, long? Attempts);

public sealed record ArtifactRecord(string RunId, string FileName, string Format, long Bytes, string Sha256, string? ArchiveId, string? ArchivePath);
