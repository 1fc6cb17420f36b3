using Microsoft.Extensions.Logging;

namespace CarrierReports.Delivery;

/// <summary>Delivery log events. Addresses and server replies only: never credentials or message bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Connected to SMTP server {Host}:{Port} ({Security})")]
    public static partial void Connected(ILogger logger, string host, int port, MailSecurity security);

    [LoggerMessage(1002, LogLevel.Warning, "Cannot reach SMTP server {Host}:{Port}: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string error);

    [LoggerMessage(1003, LogLevel.Information, "Mail {MessageId} delivered to {Address} after {Attempts} attempt(s): {Reply}")]
    public static partial void Delivered(ILogger logger, string messageId, string address, int attempts, string reply);

    [LoggerMessage(1004, LogLevel.Warning, "Mail {MessageId} to {Address}, attempt {Attempt} failed, will retry: {Error}")]
    public static partial void TransientFailure(ILogger logger, string messageId, string address, int attempt, string error);

    [LoggerMessage(1005, LogLevel.Error, "Mail {MessageId} to {Address} failed after {Attempts} attempt(s): {Error}")]
    public static partial void Failed(ILogger logger, string messageId, string address, int attempts, string error);

    [LoggerMessage(1006, LogLevel.Warning, "Attachments of subscription {Subscription} total {Bytes} bytes, over the limit of {Limit}: sending the mail without them")]
    public static partial void AttachmentsOmitted(ILogger logger, string subscription, long bytes, long limit);

    [LoggerMessage(1007, LogLevel.Information, "Waiting {Delay} before attempt {Attempt} for {Pending} recipient(s)")]
    public static partial void Backoff(ILogger logger, TimeSpan delay, int attempt, int pending);
}
