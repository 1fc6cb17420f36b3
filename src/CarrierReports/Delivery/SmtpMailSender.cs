using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CarrierReports.Delivery;

/// <summary>
/// Sends through an SMTP server with MailKit. A batch is one authenticated connection; at most
/// <see cref="MailOptions.MaxConnections"/> batches are open at once, further callers wait for a free slot.
/// </summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options, ILogger<SmtpMailSender> logger) : IMailSender, IDisposable
{
    private readonly MailOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConnections, options.Value.MaxConnections);

    public async Task<IMailBatch> OpenAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var client = new SmtpClient { Timeout = _options.TimeoutSeconds * 1000 };
        try
        {
            var security = _options.Security switch
            {
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.None,
            };
            var host = _options.Host ?? throw new InvalidOperationException("Mail:Host is not set");
            await client.ConnectAsync(host, _options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(_options.Username))
            {
                await client.AuthenticateAsync(_options.Username, _options.Password ?? "", cancellationToken);
            }

            Log.Connected(logger, _options.Host ?? "", _options.Port, _options.Security);
            return new Batch(client, _slots);
        }
        catch (Exception ex)
        {
            client.Dispose();
            _slots.Release();
            if (Classify(ex, cancellationToken) is { } failure)
            {
                Log.ConnectFailed(logger, _options.Host ?? "", _options.Port, failure.Message);
                throw failure;
            }

            throw;
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>
    /// Turns what MailKit and the network throw into a <see cref="MailSendException"/>; null for the caller's own
    /// cancellation and for programming errors, which must propagate unchanged.
    /// </summary>
    internal static MailSendException? Classify(Exception ex, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case SmtpCommandException command:
            {
                var code = (int)command.StatusCode;
                var reply = $"{code} {command.Message}";
                // 4xx means "not now" (greylisting, mailbox busy, server short of resources); 5xx is final.
                return new MailSendException(reply, code is >= 400 and < 500, reply, ex);
            }

            case AuthenticationException:
                return new MailSendException($"the SMTP server refused the credentials: {ex.Message}", isTransient: false, inner: ex);
            case SslHandshakeException:
                return new MailSendException($"TLS handshake failed: {ex.Message}", isTransient: false, inner: ex);
            case NotSupportedException:
                return new MailSendException($"the SMTP server does not support what the settings require: {ex.Message}", isTransient: false, inner: ex);
            case SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException or TimeoutException or OperationCanceledException:
                return new MailSendException($"{ex.GetType().Name}: {ex.Message}", isTransient: true, inner: ex);
            default:
                return null;
        }
    }

    private sealed class Batch(SmtpClient client, SemaphoreSlim slots) : IMailBatch
    {
        private bool _disposed;

        public bool IsUsable => !_disposed && client.IsConnected;

        public async Task<string> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                // MailKit throws unless the final reply to DATA was 250, and returns only that reply's text.
                var text = await client.SendAsync(message, sender, [recipient], cancellationToken);
                return "250 " + text;
            }
            catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
            {
                throw failure;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (client.IsConnected)
                {
                    // A polite QUIT; the connection is going away either way, so a failure here changes nothing.
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.DisconnectAsync(true, quit.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
            {
                // Every message of the batch has its outcome already; a failed QUIT loses nothing.
            }
            finally
            {
                client.Dispose();
                slots.Release();
            }
        }
    }
}
