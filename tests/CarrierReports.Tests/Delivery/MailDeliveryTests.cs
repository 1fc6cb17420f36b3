using CarrierReports.Templating;
using System.Security.Cryptography;
using System.Text;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CarrierReports.Tests.Delivery;

public sealed class MailDeliveryTests
{
    private static readonly DateTimeOffset Date = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly DeliveryKey Key = new("sub-7", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static MailOptions Smtp(int port) => new()
    {
        Transport = MailTransport.Smtp,
        Host = "127.0.0.1",
        Port = port,
        From = "Carrier Reports <reports@example.net>",
        ReplyTo = "noc@example.net",
        TimeoutSeconds = 10,
    };

    private static MailDelivery Delivery(MailOptions options, TimeProvider? time = null)
    {
        IMailSender sender = options.Transport == MailTransport.Smtp
            ? new SmtpMailSender(Options.Create(options), NullLogger<SmtpMailSender>.Instance)
            : new PickupFolderMailSender(Options.Create(options));
        return new MailDelivery(sender, Options.Create(options), time ?? new RecordingDelays(), NullLogger<MailDelivery>.Instance);
    }

    private static Artifact File(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return new Artifact("bin", name, "application/pdf", bytes);
    }

    private static MailRequest Request(MailRecipients recipients, params Artifact[] files) => new(
        Key,
        recipients,
        new MailContent("ASR per Route — Acme (544), October 2026", "<p>Report attached. Łódź, Zürich.</p>", "Report attached. Łódź, Zürich."),
        new MailContent("ASR per Route — Acme (544), October 2026 (files in archive)", "<p>Too large to attach: archive entry 3f2a9c01be77.</p>", "Too large to attach: archive entry 3f2a9c01be77."),
        files,
        Date);

    private static MimeMessage Parse(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    [Fact]
    public async Task Send_OneRecipientRefusedWith550_OthersDeliveredEachWithOwnEnvelope()
    {
        await using var server = SmtpTestServer.Start(refuse: a => a == "bad@example.org");
        var recipients = new MailRecipients(["alice@example.org", "bad@example.org"], ["carol@example.org"], ["dave@example.org"]);

        var result = await Delivery(Smtp(server.Port)).SendAsync(Request(recipients), CancellationToken.None);

        Assert.Equal(["alice@example.org", "bad@example.org", "carol@example.org", "dave@example.org"], result.Recipients.Select(r => r.Address));
        Assert.Equal([RecipientKind.To, RecipientKind.To, RecipientKind.Cc, RecipientKind.Bcc], result.Recipients.Select(r => r.Kind));
        var bad = Assert.Single(result.Failed);
        Assert.Equal("bad@example.org", bad.Address);
        Assert.StartsWith("550", bad.Reply, StringComparison.Ordinal);
        Assert.Equal(1, bad.Attempts);
        Assert.NotNull(bad.LastError);
        Assert.All(result.Recipients.Where(r => r != bad), r =>
        {
            Assert.Equal(DeliveryOutcome.Delivered, r.Outcome);
            Assert.StartsWith("250", r.Reply, StringComparison.Ordinal);
            Assert.Equal(1, r.Attempts);
            Assert.Null(r.LastError);
        });

        var received = server.Received.ToList();
        Assert.Equal(3, received.Count);
        Assert.Equal(["alice@example.org", "carol@example.org", "dave@example.org"], received.Select(m => Assert.Single(m.To)).Order());
        foreach (var mail in received)
        {
            Assert.Equal("reports@example.net", mail.From);
            var message = Parse(mail.Raw);
            Assert.Equal(["alice@example.org", "bad@example.org"], message.To.Mailboxes.Select(m => m.Address));
            Assert.Equal(["carol@example.org"], message.Cc.Mailboxes.Select(m => m.Address));
            Assert.Empty(message.Bcc);
            Assert.DoesNotContain("dave@", Encoding.ASCII.GetString(mail.Raw), StringComparison.OrdinalIgnoreCase);
            Assert.Equal("noc@example.net", message.ReplyTo.Mailboxes.Single().Address);
            Assert.Equal(Date, message.Date);
        }

        // The whole batch went over one connection, the refusal included.
        Assert.Equal(1, server.Sessions);
    }

    [Fact]
    public async Task Send_ServerDownForTwoAttemptsThenUp_DeliveredOnThirdAttemptAfterDoublingWaits()
    {
        var port = SmtpTestServer.FreePort();
        SmtpTestServer? server = null;
        var clock = new RecordingDelays();
        clock.OnDelay = n =>
        {
            if (n == 2)
            {
                server = SmtpTestServer.Start(port);
            }
        };

        try
        {
            var result = await Delivery(Smtp(port), clock).SendAsync(Request(MailRecipients.ToOnly("alice@example.org", "bob@example.org")), CancellationToken.None);

            Assert.True(result.AllDelivered);
            Assert.All(result.Recipients, r =>
            {
                Assert.Equal(3, r.Attempts);
                Assert.StartsWith("250", r.Reply, StringComparison.Ordinal);
                Assert.Contains("refused", r.LastError, StringComparison.OrdinalIgnoreCase);
            });
            Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], clock.Delays);
            Assert.Equal(2, server!.Received.Count);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Send_Temporary451OnData_RetriedAndDelivered()
    {
        await using var server = SmtpTestServer.Start(temporaryFailures: 1);
        var clock = new RecordingDelays();

        var result = await Delivery(Smtp(server.Port), clock).SendAsync(Request(MailRecipients.ToOnly("alice@example.org")), CancellationToken.None);

        var r = Assert.Single(result.Recipients);
        Assert.Equal(DeliveryOutcome.Delivered, r.Outcome);
        Assert.Equal(2, r.Attempts);
        Assert.StartsWith("451", r.LastError, StringComparison.Ordinal);
        Assert.Single(clock.Delays);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Send_ServerNeverUp_FailsAfterMaxAttemptsWithCappedWaits()
    {
        var options = Smtp(SmtpTestServer.FreePort());
        options.MaxAttempts = 5;
        options.MaxBackoff = TimeSpan.FromSeconds(5);
        var clock = new RecordingDelays();

        var result = await Delivery(options, clock).SendAsync(Request(MailRecipients.ToOnly("alice@example.org")), CancellationToken.None);

        var r = Assert.Single(result.Recipients);
        Assert.Equal(DeliveryOutcome.Failed, r.Outcome);
        Assert.Equal(5, r.Attempts);
        Assert.Null(r.Reply);
        Assert.Contains("refused", r.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { 2, 4, 5, 5 }.Select(s => TimeSpan.FromSeconds(s)), clock.Delays);
    }

    [Fact]
    public async Task Send_CancelledDuringBackoff_Throws()
    {
        using var cts = new CancellationTokenSource();
        var clock = new RecordingDelays { OnDelay = _ => cts.Cancel() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Delivery(Smtp(SmtpTestServer.FreePort()), clock).SendAsync(Request(MailRecipients.ToOnly("alice@example.org")), cts.Token));
    }

    [Fact]
    public async Task Send_Attachments_ArriveByteIdentical()
    {
        await using var server = SmtpTestServer.Start();
        var pdf = File("asr-per-route_544_2026-10-01_2026-11-01_day.pdf", 150_000, 1);
        var csv = new Artifact("csv", "asr-per-route_544_Łódź.csv", "text/csv", Encoding.UTF8.GetBytes("route,attempts\r\n=cmd,1\r\n"));

        var result = await Delivery(Smtp(server.Port)).SendAsync(Request(MailRecipients.ToOnly("alice@example.org"), pdf, csv), CancellationToken.None);

        Assert.True(result.AllDelivered);
        Assert.False(result.AttachmentsOmitted);
        var message = Parse(Assert.Single(server.Received).Raw);
        var parts = message.Attachments.OfType<MimePart>().ToList();
        Assert.Equal([pdf.FileName, csv.FileName], parts.Select(p => p.FileName));
        foreach (var (part, artifact) in parts.Zip(new[] { pdf, csv }))
        {
            using var decoded = new MemoryStream();
            await part.Content!.DecodeToAsync(decoded);
            Assert.Equal(artifact.Sha256, Convert.ToHexStringLower(SHA256.HashData(decoded.ToArray())));
        }

        Assert.Equal("Report attached. Łódź, Zürich.", message.TextBody?.TrimEnd());
        Assert.Contains("Łódź", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Twice_SameMessageIdAndSameBytes()
    {
        await using var server = SmtpTestServer.Start();
        var delivery = Delivery(Smtp(server.Port));
        var request = Request(MailRecipients.ToOnly("Alice@Example.org"), File("a.pdf", 5_000, 2));

        var first = await delivery.SendAsync(request, CancellationToken.None);
        var second = await delivery.SendAsync(request, CancellationToken.None);

        var id = first.Recipients[0].MessageId;
        Assert.Matches("^<[0-9a-f]{32}@example\\.net>$", id);
        Assert.Equal(id, second.Recipients[0].MessageId);
        Assert.Equal(id, delivery.MessageIdFor(Key, "alice@example.org"));
        var received = server.Received.ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal(id, "<" + Parse(received[0].Raw).MessageId + ">");
        Assert.Equal(received[0].Raw, received[1].Raw);

        // Anything in the key changes the id: another recipient, another subscription, another period.
        Assert.NotEqual(id, delivery.MessageIdFor(Key, "bob@example.org"));
        Assert.NotEqual(id, delivery.MessageIdFor(Key with { SubscriptionId = "sub-8" }, "alice@example.org"));
        Assert.NotEqual(id, delivery.MessageIdFor(Key with { UtcTo = Key.UtcTo.AddDays(1) }, "alice@example.org"));
    }

    [Fact]
    public async Task Send_AttachmentsOverLimit_SendsAlternativeBodyWithoutFiles()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.MaxAttachmentBytes = 100_000;

        var result = await Delivery(options).SendAsync(
            Request(MailRecipients.ToOnly("alice@example.org"), File("a.pdf", 60_000, 3), File("b.xlsx", 60_000, 4)), CancellationToken.None);

        Assert.True(result.AllDelivered);
        Assert.True(result.AttachmentsOmitted);
        Assert.Equal(120_000, result.AttachmentBytes);
        var message = Parse(Assert.Single(server.Received).Raw);
        Assert.Empty(message.Attachments);
        Assert.Contains("archive entry 3f2a9c01be77", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("archive entry 3f2a9c01be77", message.HtmlBody, StringComparison.Ordinal);
        Assert.EndsWith("(files in archive)", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AttachmentsExactlyAtLimit_AreAttached()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.MaxAttachmentBytes = 120_000;

        var result = await Delivery(options).SendAsync(
            Request(MailRecipients.ToOnly("alice@example.org"), File("a.pdf", 60_000, 3), File("b.xlsx", 60_000, 4)), CancellationToken.None);

        Assert.False(result.AttachmentsOmitted);
        Assert.Equal(2, Parse(Assert.Single(server.Received).Raw).Attachments.Count());
    }

    [Fact]
    public async Task Send_PickupFolder_WritesOneParseableEmlPerRecipient()
    {
        using var pickup = new TempFolder("carrierreports-pickup-");
        var folder = pickup.PathOf("pickup");
        var options = new MailOptions { PickupFolder = folder, From = "reports@example.net" };
        var delivery = Delivery(options);
        var pdf = File("a.pdf", 20_000, 5);
        var request = Request(new MailRecipients(["alice@example.org"], [], ["hidden@example.org"]), pdf);

        var result = await delivery.SendAsync(request, CancellationToken.None);
        await delivery.SendAsync(request, CancellationToken.None);

        Assert.True(result.AllDelivered);
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(result.Recipients.Select(r => Path.Combine(folder, r.MessageId.Trim('<', '>') + ".eml")).Order(StringComparer.Ordinal), files);
        foreach (var r in result.Recipients)
        {
            var path = Path.Combine(folder, r.MessageId.Trim('<', '>') + ".eml");
            var message = MimeMessage.Load(path);
            Assert.Equal(r.MessageId, "<" + message.MessageId + ">");
            Assert.Equal(r.Address, message.Headers["X-Receiver"]);
            Assert.Equal(["alice@example.org"], message.To.Mailboxes.Select(m => m.Address));
            var part = (MimePart)message.Attachments.Single();
            using var decoded = new MemoryStream();
            await part.Content!.DecodeToAsync(decoded);
            Assert.Equal(pdf.Sha256, Convert.ToHexStringLower(SHA256.HashData(decoded.ToArray())));
        }
    }

    [Fact]
    public async Task Send_BadRecipient_NamesTheField()
    {
        var options = new MailOptions { PickupFolder = Path.GetTempPath(), From = "reports@example.net" };

        var ex = await Assert.ThrowsAsync<InputException>(() =>
            Delivery(options).SendAsync(Request(MailRecipients.ToOnly("alice@example.org", "not an address")), CancellationToken.None));

        Assert.Equal("recipients:to:1", ex.Field);
    }

    [Fact]
    public async Task Send_EmptySubject_IsRefusedBeforeSending()
    {
        var options = new MailOptions { PickupFolder = Path.GetTempPath(), From = "reports@example.net" };
        var request = Request(MailRecipients.ToOnly("alice@example.org")) with { Content = new MailContent(" ", "<p>x</p>", "x") };

        var ex = await Assert.ThrowsAsync<InputException>(() => Delivery(options).SendAsync(request, CancellationToken.None));

        Assert.Equal("content:subject", ex.Field);
    }

    [Fact]
    public async Task SendAlert_WithOperationsAddress_DeliversPlainText()
    {
        await using var server = SmtpTestServer.Start();
        var options = Smtp(server.Port);
        options.OperationsAddress = "ops@example.net";

        var result = await Delivery(options).SendAlertAsync(Key, "Run failed: sub-7", "The CDR source timed out.", Date, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var message = Parse(Assert.Single(server.Received).Raw);
        Assert.Equal("The CDR source timed out.", message.TextBody?.TrimEnd());
        Assert.NotEqual(result.MessageId, Delivery(options).MessageIdFor(Key, "ops@example.net"));
        Assert.Null(await Delivery(Smtp(server.Port)).SendAlertAsync(Key, "x", "y", Date, CancellationToken.None));
    }
}
