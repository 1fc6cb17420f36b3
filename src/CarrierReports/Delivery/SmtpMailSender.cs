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
/// <remarks>
/// Connections are reused: a batch that ends cleanly hands its connection back, and the next batch (of any run) takes
/// it instead of connecting, greeting and authenticating again. A connection idle longer than
/// <see cref="MailOptions.ConnectionIdleSeconds"/>, or that has carried <see cref="MailOptions.MaxMessagesPerConnection"/>
/// messages, or that saw any failure, is closed instead (a stale idle one when the next batch opens, or at shutdown).
/// Idle plus busy connections never exceed MaxConnections.
/// </remarks>
public sealed class SmtpMailSender(IOptions<MailOptions> options, ILogger<SmtpMailSender> logger, TimeProvider? time = null) : IMailSender, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly MailOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConnections, options.Value.MaxConnections);
    private readonly Lock _idleLock = new();
    private readonly Stack<Pooled> _idle = new();
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(1);

    public async Task<IMailBatch> OpenAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        while (TakeIdle() is { } reused)
        {
            if (await IsAliveAsync(reused, cancellationToken))
            {
                return new Batch(this, reused.Client, reused.Messages);
            }
        }

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
            return new Batch(this, client, 0);
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

    /// <summary>
    /// A connection idle for more than a second is asked for a NOOP first: the server may have closed it meanwhile,
    /// and finding that out on the report itself would cost the recipient an attempt and a backoff wait.
    /// </summary>
    private async Task<bool> IsAliveAsync(Pooled pooled, CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(pooled.IdleSince) < ProbeAfter)
        {
            return true;
        }

        try
        {
            await pooled.Client.NoOpAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is not null)
        {
            pooled.Client.Dispose();
            return false;
        }
        catch
        {
            pooled.Client.Dispose();
            _slots.Release();
            throw;
        }
    }

    /// <summary>Connections open and waiting for the next batch (for tests and diagnostics).</summary>
    internal int IdleConnections
    {
        get
        {
            lock (_idleLock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>The most recently used idle connection, if it is still connected and fresh; stale ones are closed on the way.</summary>
    private Pooled? TakeIdle()
    {
        var limit = _time.GetTimestamp() - (long)(_options.ConnectionIdleSeconds * _time.TimestampFrequency);
        var stale = new List<Pooled>();
        Pooled? found = null;
        lock (_idleLock)
        {
            while (found is null && _idle.TryPop(out var top))
            {
                if (top.IdleSince < limit)
                {
                    // The newest is too old, so all below it are: close them all.
                    stale.Add(top);
                    stale.AddRange(_idle);
                    _idle.Clear();
                }
                else if (top.Client.IsConnected)
                {
                    found = top;
                }
                else
                {
                    stale.Add(top);
                }
            }
        }

        foreach (var p in stale)
        {
            // No QUIT: the server may have dropped it already, and waiting on a dead socket helps nobody.
            p.Client.Dispose();
        }

        return found;
    }

    /// <summary>Ends a batch: its connection goes back to the idle pool when it may be reused, else it is closed. Frees the slot.</summary>
    private async ValueTask ReturnAsync(SmtpClient client, int messages, bool reusable)
    {
        try
        {
            if (reusable && client.IsConnected && messages < _options.MaxMessagesPerConnection && _options.ConnectionIdleSeconds > 0)
            {
                lock (_idleLock)
                {
                    _idle.Push(new Pooled(client, messages, _time.GetTimestamp()));
                }

                return;
            }

            await CloseAsync(client);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async Task CloseAsync(SmtpClient client)
    {
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
            // Every message sent over it has its outcome already; a failed QUIT loses nothing.
        }
        finally
        {
            client.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_idleLock)
        {
            while (_idle.TryPop(out var p))
            {
                p.Client.Dispose();
            }
        }

        _slots.Dispose();
    }

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

    private sealed record Pooled(SmtpClient Client, int Messages, long IdleSince);

    private sealed class Batch(SmtpMailSender owner, SmtpClient client, int messages) : IMailBatch
    {
        private bool _disposed;
        private bool _failed;
        private int _messages = messages;

        // At the per-connection message limit the caller opens a new batch, so a long recipient list is split too.
        public bool IsUsable => !_disposed && client.IsConnected && _messages < owner._options.MaxMessagesPerConnection;

        public async Task<string> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                // MailKit throws unless the final reply to DATA was 250, and returns only that reply's text.
                var text = await client.SendAsync(message, sender, [recipient], cancellationToken);
                _messages++;
                return "250 " + text;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, this connection is not handed to another run: it may be mid-transaction.
                _failed = true;
                if (Classify(ex, cancellationToken) is { } failure)
                {
                    throw failure;
                }

                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await owner.ReturnAsync(client, _messages, reusable: !_failed);
        }
    }
}
