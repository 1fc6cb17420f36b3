using CarrierReports.Delivery;
using CarrierReports.Templating;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Delivery;

public sealed class SmtpConnectionReuseTests
{
    private static readonly DateTimeOffset Date = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);

    private static MailOptions Smtp(int port) => new()
    {
        Transport = MailTransport.Smtp,
        Host = "127.0.0.1",
        Port = port,
        From = "Carrier Reports <reports@example.net>",
        TimeoutSeconds = 10,
    };

    private static MailRequest Request(int n, params string[] to) => new(
        new DeliveryKey($"sub-{n}", Date.AddDays(-1), Date),
        new MailRecipients(to, [], []),
        new MailContent($"Report {n}", "<p>Report.</p>", "Report."),
        new MailContent($"Report {n}", "<p>Report.</p>", "Report."),
        [],
        Date);

    private static (SmtpMailSender Sender, MailDelivery Delivery) Create(MailOptions options)
    {
        var sender = new SmtpMailSender(Options.Create(options), NullLogger<SmtpMailSender>.Instance);
        return (sender, new MailDelivery(sender, Options.Create(options), new RecordingDelays(), NullLogger<MailDelivery>.Instance));
    }

    [Fact]
    public async Task Send_ThreeRunsOneAfterAnother_ShareOneConnection()
    {
        await using var server = SmtpTestServer.Start();
        var (sender, delivery) = Create(Smtp(server.Port));
        using var _ = sender;

        for (var i = 0; i < 3; i++)
        {
            var result = await delivery.SendAsync(Request(i, "noc@example.org"), CancellationToken.None);
            Assert.Empty(result.Failed);
        }

        Assert.Equal(3, server.Received.Count);
        Assert.Equal(1, server.Sessions);
        Assert.Equal(1, sender.IdleConnections);
    }

    [Fact]
    public async Task Send_IdleSecondsZero_ConnectsForEveryRun()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.ConnectionIdleSeconds = 0;
        var (noReuse, delivery) = Create(options);
        using var _ = noReuse;

        await delivery.SendAsync(Request(1, "noc@example.org"), CancellationToken.None);
        await delivery.SendAsync(Request(2, "noc@example.org"), CancellationToken.None);

        Assert.Equal(2, server.Received.Count);
        Assert.Equal(2, server.Sessions);
        Assert.Equal(0, noReuse.IdleConnections);
    }

    [Fact]
    public async Task Send_MessageLimitReached_OpensAFreshConnection()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.MaxMessagesPerConnection = 2;
        var (sender, delivery) = Create(options);
        using var _ = sender;

        // Two recipients fill the first connection's quota; the next run must not get it back.
        await delivery.SendAsync(Request(1, "a@example.org", "b@example.org"), CancellationToken.None);
        await delivery.SendAsync(Request(2, "c@example.org"), CancellationToken.None);

        Assert.Equal(3, server.Received.Count);
        Assert.Equal(2, server.Sessions);
    }

    [Fact]
    public async Task Send_MoreRecipientsThanTheMessageLimit_SplitOverConnections()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.MaxMessagesPerConnection = 2;
        var (sender, delivery) = Create(options);
        using var _ = sender;

        var result = await delivery.SendAsync(Request(1, "a@example.org", "b@example.org", "c@example.org"), CancellationToken.None);

        Assert.Empty(result.Failed);
        Assert.All(result.Recipients, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(3, server.Received.Count);
        Assert.Equal(2, server.Sessions);
    }

    [Fact]
    public async Task Send_AfterARefusedRecipient_ConnectionIsNotReused()
    {
        await using var server = SmtpTestServer.Start(refuse: a => a == "bad@example.org");
        var (sender, delivery) = Create(Smtp(server.Port));
        using var _ = sender;

        var first = await delivery.SendAsync(Request(1, "bad@example.org"), CancellationToken.None);
        var second = await delivery.SendAsync(Request(2, "noc@example.org"), CancellationToken.None);

        Assert.Single(first.Failed);
        Assert.Empty(second.Failed);
        Assert.Equal(2, server.Sessions);
    }

    [Fact]
    public async Task Send_TwentyRunsAtOnce_NeverMoreConnectionsThanMaxConnections()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.MaxConnections = 3;
        var (sender, delivery) = Create(options);
        using var _ = sender;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => delivery.SendAsync(Request(i, $"noc{i}@example.org"), CancellationToken.None)));

        Assert.All(results, r => Assert.Empty(r.Failed));
        Assert.Equal(20, server.Received.Count);
        Assert.InRange(server.Sessions, 1, 3);
        Assert.InRange(sender.IdleConnections, 1, 3);
    }

    [Fact]
    public async Task Send_IdleConnectionDroppedByServer_NextRunConnectsAgain()
    {
        var port = SmtpTestServer.FreePort();
        var options = Smtp(port);
        var (sender, delivery) = Create(options);
        using var _ = sender;
        await using (var first = SmtpTestServer.Start(port))
        {
            await delivery.SendAsync(Request(1, "noc@example.org"), CancellationToken.None);
        }

        // The server went away while the connection sat idle (longer than the probe threshold); the next run must
        // still deliver at its first attempt, over a new connection.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await using var second = SmtpTestServer.Start(port);
        var result = await delivery.SendAsync(Request(2, "noc@example.org"), CancellationToken.None);

        var r = Assert.Single(result.Recipients);
        Assert.Equal(DeliveryOutcome.Delivered, r.Outcome);
        Assert.Equal(1, r.Attempts);
        Assert.Single(second.Received);
    }
}
