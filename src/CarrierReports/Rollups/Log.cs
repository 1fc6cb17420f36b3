using Microsoft.Extensions.Logging;

namespace CarrierReports.Rollups;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rollups refreshed for {From:O}..{To:O}: {Rows} rollup rows in {Ms} ms")]
    public static partial void Refreshed(ILogger logger, DateTimeOffset from, DateTimeOffset to, long rows, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The CdrSource mapping changed since the rollups were built: they are dropped and summed again from the first CDR")]
    public static partial void MappingChanged(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollups reconciled for {From:O}..{To:O}: {Differing} carrier-day(s) differed and were summed again")]
    public static partial void Reconciled(ILogger logger, DateTimeOffset from, DateTimeOffset to, int differing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rollup {Job} failed: {Reason}")]
    public static partial void JobFailed(ILogger logger, string job, string reason);
}
