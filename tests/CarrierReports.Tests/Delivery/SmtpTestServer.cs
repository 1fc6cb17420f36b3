using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CarrierReports.Tests.Delivery;

/// <summary>
/// A real SMTP server (SmtpServer 11) on a loopback port, for the tests and the load benchmark: counts messages, bytes
/// and sessions, records every accepted message with its envelope (unless told not to keep them, so a benchmark's
/// memory does not grow with the load), refuses chosen recipients with 550 at RCPT, and can answer DATA with a 451.
/// </summary>
/// <remarks>Compiled into the benchmarks too (linked source), so it depends on nothing else of the tests.</remarks>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly bool _keepMessages;
    private int _sessions;
    private long _messages;
    private long _bytes;
    private long _lastTimestamp;

    private SmtpTestServer(int port, Func<string, bool> refuse, int temporaryFailures, bool keepMessages)
    {
        Port = port;
        _keepMessages = keepMessages;
        var store = new Store(this, temporaryFailures);
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(store);
        provider.Add(new Filter(refuse));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var server = new SmtpServer.SmtpServer(options, provider);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>SMTP sessions opened so far (one per client connection).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Messages accepted so far.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Bytes of the messages accepted so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the last accepted message; 0 before the first.</summary>
    public long LastTimestamp => Interlocked.Read(ref _lastTimestamp);

    /// <summary>Every accepted message; stays empty when started with <c>keepMessages: false</c>.</summary>
    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <param name="refuse">Recipients (lower-case address) to refuse with 550.</param>
    /// <param name="temporaryFailures">How many DATA transfers to answer with 451 before accepting.</param>
    /// <param name="keepMessages">False: only count, for a load benchmark that sends many thousands.</param>
    /// <remarks>Synchronous so it can be called from inside a timer hook; returns once the port accepts connections.</remarks>
    public static SmtpTestServer Start(int? port = null, Func<string, bool>? refuse = null, int temporaryFailures = 0, bool keepMessages = true)
    {
        var server = new SmtpTestServer(port ?? FreePort(), refuse ?? (_ => false), temporaryFailures, keepMessages);
        server.WaitUntilListening();
        return server;
    }

    /// <summary>A loopback port nothing listens on (right now).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is done by cancelling.
        }

        _stop.Dispose();
    }

    private void WaitUntilListening()
    {
        // The listener binds asynchronously; a probe connection counts as a session, so reset the counter after.
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                probe.Close();
                // Wait until the server has counted the probe's session (on a cold start that can take longer
                // than 100 ms), so it cannot be counted after the reset as if a client had connected.
                for (var w = 0; w < 500 && Volatile.Read(ref _sessions) == 0; w++)
                {
                    Thread.Sleep(10);
                }

                Thread.Sleep(50);
                Interlocked.Exchange(ref _sessions, 0);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(10);
            }
        }

        throw new InvalidOperationException($"SMTP test server did not start on port {Port}");
    }

    private static string Address(IMailbox mailbox) => $"{mailbox.User}@{mailbox.Host}".ToLowerInvariant();

    internal sealed record ReceivedMail(string From, IReadOnlyList<string> To, byte[] Raw);

    private sealed class Store(SmtpTestServer owner, int temporaryFailures) : MessageStore
    {
        private int _failuresLeft = temporaryFailures;

        public override Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                return Task.FromResult(new SmtpServer.Protocol.SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later"));
            }

            Interlocked.Add(ref owner._bytes, buffer.Length);
            Interlocked.Increment(ref owner._messages);
            Interlocked.Exchange(ref owner._lastTimestamp, Stopwatch.GetTimestamp());
            if (owner._keepMessages)
            {
                owner.Received.Enqueue(new ReceivedMail(Address(transaction.From), [.. transaction.To.Select(Address)], buffer.ToArray()));
            }

            return Task.FromResult(SmtpServer.Protocol.SmtpResponse.Ok);
        }
    }

    private sealed class Filter(Func<string, bool> refuse) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!refuse(Address(to)));
    }
}
