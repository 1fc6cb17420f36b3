using MimeKit;

namespace CarrierReports.Delivery;

/// <summary>Where composed messages go: an SMTP server or a pickup folder.</summary>
public interface IMailSender
{
    /// <summary>
    /// Opens a batch: several messages sent one after another over one connection. Throws
    /// <see cref="MailSendException"/> when the transport cannot be reached.
    /// </summary>
    Task<IMailBatch> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>An open connection (or folder) that sends messages one at a time. Not thread-safe.</summary>
public interface IMailBatch : IAsyncDisposable
{
    /// <summary>False once the connection was lost; open a new batch to continue.</summary>
    bool IsUsable { get; }

    /// <summary>
    /// Sends <paramref name="message"/> with an envelope of exactly one recipient, whatever its headers say, and returns
    /// the server's reply (e.g. <c>250 2.0.0 Ok</c>). Throws <see cref="MailSendException"/> when the message was refused
    /// or the transport failed.
    /// </summary>
    Task<string> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken);
}
