using Microsoft.Extensions.Logging;

namespace CarrierReports.Web.Auth;

internal static partial class OidcLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on failed before the provider identified the user: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Single sign-on: the identity provider at {Authority} cannot be reached: {Reason}")]
    public static partial void ProviderUnreachable(ILogger logger, string authority, string reason);
}
