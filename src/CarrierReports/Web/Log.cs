using Microsoft.Extensions.Logging;

namespace CarrierReports.Web;

internal static partial class Log
{
    /// <summary>Tests and operators read the bound addresses from this line (port 0 in Web:Urls picks a free one).</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Web console and API on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web-only node: the scheduler is off (Web:Scheduler=false or --web-only), no jobs run here")]
    public static partial void WebOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Service} failed and stopped serve: {Reason}")]
    public static partial void ServiceFailed(ILogger logger, string service, string reason);
}
