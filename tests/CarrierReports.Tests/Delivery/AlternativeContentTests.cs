using CarrierReports.Delivery;
using CarrierReports.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Delivery;

/// <summary>The mail without attachments is rendered only when the files are too large to attach, and then once for every recipient.</summary>
public sealed class AlternativeContentTests
{
    private static readonly DeliveryKey Key = new("sub-7", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static async Task<(DeliveryResult Result, int Renders)> SendAsync(long maxAttachmentBytes)
    {
        using var folder = new Support.TempFolder();
        var options = new MailOptions { PickupFolder = folder.Path, From = "reports@example.net", MaxAttachmentBytes = maxAttachmentBytes };
        var delivery = new MailDelivery(new PickupFolderMailSender(Options.Create(options)), Options.Create(options), new RecordingDelays(), NullLogger<MailDelivery>.Instance);
        var renders = 0;
        var request = new MailRequest(Key, new MailRecipients(["a@example.org", "b@example.org"], [], ["c@example.org"]),
            new MailContent("Report", "<p>Attached.</p>", "Attached."),
            () =>
            {
                renders++;
                return new MailContent("Report (files in archive)", "<p>In the archive.</p>", "In the archive.");
            },
            [new Artifact("csv", "r.csv", "text/csv", new byte[5_000])], DateTimeOffset.UnixEpoch);
        var result = await delivery.SendAsync(request, CancellationToken.None);
        return (result, renders);
    }

    [Fact]
    public async Task FilesWithinTheLimit_AlternativeNeverRendered()
    {
        var (result, renders) = await SendAsync(maxAttachmentBytes: 10_000);
        Assert.True(result.AllDelivered);
        Assert.False(result.AttachmentsOmitted);
        Assert.Equal(0, renders);
    }

    [Fact]
    public async Task FilesOverTheLimit_AlternativeRenderedOnceForAllRecipients()
    {
        var (result, renders) = await SendAsync(maxAttachmentBytes: 1_000);
        Assert.Equal(3, result.Recipients.Count);
        Assert.True(result.AttachmentsOmitted);
        Assert.Equal(1, renders);
    }
}
