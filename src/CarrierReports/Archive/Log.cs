using Microsoft.Extensions.Logging;

namespace CarrierReports.Archive;

internal static partial class Log
{
    [LoggerMessage(1101, LogLevel.Information, "Archived {Files} file(s) as entry {Id} in {Path}")]
    public static partial void Stored(ILogger logger, int files, string id, string path);

    [LoggerMessage(1102, LogLevel.Information, "Entry {Id} in {Path} already holds these files; nothing written")]
    public static partial void AlreadyStored(ILogger logger, string id, string path);

    [LoggerMessage(1103, LogLevel.Warning, "Different files were already archived for this period; stored revision {Revision} as entry {Id} in {Path}")]
    public static partial void StoredAsRevision(ILogger logger, int revision, string id, string path);

    [LoggerMessage(1104, LogLevel.Warning, "Purged archive entry {Id} in {Path} (period end {PeriodEnd}, stored at {StoredAt})")]
    public static partial void Purged(ILogger logger, string id, string path, DateTimeOffset periodEnd, DateTimeOffset storedAt);

    [LoggerMessage(1105, LogLevel.Warning, "Archive problem in {Path}, file {FileName}: {Kind} {Detail}")]
    public static partial void Problem(ILogger logger, string path, string? fileName, ArchiveProblemKind kind, string detail);
}
