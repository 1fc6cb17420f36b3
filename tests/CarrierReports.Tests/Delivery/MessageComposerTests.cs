using System.Runtime.CompilerServices;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Templating;
using MimeKit;

namespace CarrierReports.Tests.Delivery;

public sealed class MessageComposerTests
{
    private static readonly MailOptions Options = new()
    {
        From = "Carrier Reports <reports@example.net>",
        ReplyTo = "noc@example.net",
    };

    [Fact]
    public void Compose_MessageNoLongerUsed_IsNotKeptAliveByTheComposer()
    {
        var composer = new MessageComposer(Options);

        var sent = ComposeAndDrop(composer);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The composer lives as long as the service; if it kept each message, memory would grow with every run.
        Assert.False(sent.TryGetTarget(out _));
        GC.KeepAlive(composer);
    }

    [Fact]
    public void Compose_SameInputsTwice_SameFromAndReplyTo()
    {
        var composer = new MessageComposer(Options);
        var to = new List<MailboxAddress> { MailboxAddress.Parse("alice@example.org") };
        var content = new MailContent("Report", "<p>Report.</p>", "Report.");

        var a = composer.Compose(Id(composer, "a"), to, [], content, [], DateTimeOffset.UnixEpoch);
        var b = composer.Compose(Id(composer, "b"), to, [], content, [], DateTimeOffset.UnixEpoch);

        Assert.Equal("\"Carrier Reports\" <reports@example.net>", a.From.ToString());
        Assert.Equal(a.From.ToString(), b.From.ToString());
        Assert.Equal("noc@example.net", b.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("alice@example.org", b.To.Mailboxes.Single().Address);
    }

    private static string Id(MessageComposer composer, string subscription) =>
        composer.MessageId("report", new DeliveryKey(subscription, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)), "alice@example.org");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<MimeMessage> ComposeAndDrop(MessageComposer composer)
    {
        var message = composer.Compose(Id(composer, "x"), [MailboxAddress.Parse("alice@example.org")], [],
            new MailContent("Report", "<p>Report.</p>", "Report."), [new Artifact("csv", "r.csv", "text/csv", new byte[100_000])], DateTimeOffset.UnixEpoch);
        return new WeakReference<MimeMessage>(message);
    }
}
