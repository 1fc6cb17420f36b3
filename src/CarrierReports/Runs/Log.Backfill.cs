using Microsoft.Extensions.Logging;

namespace CarrierReports.Runs;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} backfill job(s) of node {Node} were left unfinished by a stopped process; marked interrupted")]
    public static partial void BackfillInterrupted(ILogger logger, int count, string node);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backfill job {JobId} failed: {Reason}")]
    public static partial void BackfillFailed(ILogger logger, string jobId, string reason);
}
