using System.Net;
using CarrierReports.Access;
using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using MimeKit;
using static CarrierReports.Tests.Api.ApiTestCalls;
using static CarrierReports.Tests.Api.OperatorMailApiTests;

namespace CarrierReports.Tests.Api;

/// <summary>Resend of a delivered period over HTTP: the archived bytes to one recipient, recorded as a resend, never as a delivery.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ResendApiTests(PostgresFixture pg)
{
    [Fact]
    public async Task Resend_SendsTheArchivedBytes_RecordsAResend_AndRefusesAChangedArchive()
    {
        await using var host = await StartWithCdrsAsync(pg);
        var ops = await CreateSubscriptionAsync(host);
        var run = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/run", new { asOf = AsOf });
        Assert.Equal(HttpStatusCode.OK, run.Status);
        var runId = run.Body.GetProperty("runId").GetString()!;
        var detail = (await ops.GetJsonAsync($"/api/v1/runs/{runId}")).Body;
        var recorded = detail.GetProperty("artifacts").EnumerateArray().Where(a => a.GetProperty("format").GetString() != "manifest")
            .Select(a => (a.GetProperty("fileName").GetString(), a.GetProperty("sha256").GetString())).ToList();
        Assert.Equal(2, recorded.Count);

        var notARecipient = await ops.SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/resend", new { recipient = "someone@else.example" });
        Assert.Equal(HttpStatusCode.BadRequest, notARecipient.Status);
        Assert.Contains("allowOtherAddress", notARecipient.Body.GetProperty("errors").GetProperty("recipient")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/resend", new { })).Status);

        var resend = await ops.SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/resend", new { recipient = "NOC@example.com" });
        Assert.Equal(HttpStatusCode.OK, resend.Status);
        Assert.False(resend.Body.GetProperty("otherAddress").GetBoolean());
        var original = MimeMessage.Load(new MemoryStream(host.Smtp.Received.First().Raw));
        var copy = MimeMessage.Load(new MemoryStream(host.Smtp.Received.Last().Raw));
        Assert.Equal(2, host.Smtp.Received.Count);
        Assert.StartsWith("Resend: ", copy.Subject, StringComparison.Ordinal);
        Assert.NotEqual(original.MessageId, copy.MessageId);
        Assert.Equal(recorded, copy.Attachments.OfType<MimePart>().Select(p => ((string?)p.FileName, (string?)Sha(Decode(p)))));
        Assert.Equal(original.Attachments.OfType<MimePart>().Select(p => Sha(Decode(p))), copy.Attachments.OfType<MimePart>().Select(p => Sha(Decode(p))));

        // By subscription and period start (local date in the subscription's zone), to another address when allowed.
        var other = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/resend",
            new { periodFrom = "2026-11-01", recipient = "new.noc@example.com", allowOtherAddress = true });
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.True(other.Body.GetProperty("otherAddress").GetBoolean());
        Assert.Equal(["new.noc@example.com"], host.Smtp.Received.Last().To);
        var badPeriod = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/resend", new { periodFrom = "2026-10-01", recipient = "noc@example.com" });
        Assert.True(badPeriod.Body.GetProperty("errors").TryGetProperty("periodFrom", out _));

        // Recorded as resends; the period's deliveries (exactly once per recipient) are unchanged.
        var resends = (await ops.GetJsonAsync($"/api/v1/runs/{runId}/resends")).Body.EnumerateArray().ToList();
        Assert.Equal(["noc@example.com", "new.noc@example.com"], resends.Select(r => r.GetProperty("recipient").GetString()));
        var deliveries = (await ops.GetJsonAsync($"/api/v1/runs/{runId}")).Body.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Single(deliveries);
        Assert.Equal(1, deliveries[0].GetProperty("attempts").GetInt32());

        // A changed archived file is an error and nothing is sent.
        var entry = await host.Get<ArchiveStore>().GetAsync(detail.GetProperty("artifacts")[0].GetProperty("archiveId").GetString()!, CancellationToken.None);
        var path = Path.Combine(host.Get<ArchiveStore>().FullPath(entry), entry.Files[0].FileName);
        File.SetAttributes(path, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
        var refused = await ops.SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/resend", new { recipient = "noc@example.com" });
        Assert.Equal(HttpStatusCode.InternalServerError, refused.Status);
        Assert.Equal(3, host.Smtp.Received.Count);

        var audit = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "runs.resend"), CancellationToken.None)).Entries;
        Assert.Equal(["success", "success", "integrity-error"], audit.Select(e => e.Outcome));
        var outsider = await host.KeyClientAsync(Role.Operator, CarrierScope.Of(["544"]));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/resend", new { recipient = "noc@example.com" })).Status);
    }
}
