using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CarrierReports.Benchmarks;

/// <summary>
/// An SMTP server (SmtpServer 11) on a loopback port that accepts everything and only counts: messages, bytes, sessions
/// and when the last message arrived. It keeps no message, so its own memory does not grow with the load.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _messages;
    private long _bytes;
    private int _sessions;
    private long _lastTimestamp;

    private LoopbackSmtpServer(int port)
    {
        Port = port;
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(new CountingStore(this));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var server = new SmtpServer.SmtpServer(options, provider);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>SMTP sessions opened (one per client connection).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the last accepted message; 0 before the first.</summary>
    public long LastTimestamp => Interlocked.Read(ref _lastTimestamp);

    public static async Task<LoopbackSmtpServer> StartAsync(CancellationToken cancellationToken)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var server = new LoopbackSmtpServer(port);
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                // The probe is a session too; let the server register it before the counter is cleared.
                await Task.Delay(100, cancellationToken);
                Interlocked.Exchange(ref server._sessions, 0);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(10, cancellationToken);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"the SMTP server did not start on port {port}");
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

    private sealed class CountingStore(LoopbackSmtpServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            Interlocked.Add(ref owner._bytes, buffer.Length);
            Interlocked.Increment(ref owner._messages);
            Interlocked.Exchange(ref owner._lastTimestamp, Stopwatch.GetTimestamp());
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
