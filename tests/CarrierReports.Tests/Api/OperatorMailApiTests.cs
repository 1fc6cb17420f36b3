using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using MimeKit;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>
/// The mail-side operator actions over HTTP, against real CDRs and the in-process SMTP server: the preview's mail is
/// the mail a run sends (same subject, bodies and attachment bytes) and sends nothing; a test-send goes to one address,
/// marked, outside the ledger.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OperatorMailApiTests(PostgresFixture pg)
{
    /// <summary>A fire time whose period (Nov 1 in Berlin) has CDRs of carrier 1.</summary>
    internal const string AsOf = "2026-11-02T07:00:00Z";

    /// <summary>An API host over a CDR database of <see cref="CdrTestData"/> (carriers 1, 2, 3; late Oct to early Nov 2026).</summary>
    internal static async Task<ApiHost> StartWithCdrsAsync(PostgresFixture pg)
    {
        var cdr = await pg.NewDatabaseAsync("opmail_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, CdrTestData.Generate(perHour: 2));
        return await ApiHost.StartAsync(pg, CliRunner.Postgres(cdr));
    }

    /// <summary>A CSV subscription of carrier 1 (Berlin, daily at 06:00, previous day) to noc@example.com.</summary>
    internal static async Task<HttpClient> CreateSubscriptionAsync(ApiHost host, string id = "daily-1")
    {
        var ops = await host.KeyClientAsync(Role.Operator);
        var definition = Definition(id, "1");
        definition.Formats = ["csv"];
        var created = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", definition);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return ops;
    }

    [Fact]
    public async Task PreviewMail_IsTheMailARunSends_AndSendsNothing()
    {
        await using var host = await StartWithCdrsAsync(pg);
        var ops = await CreateSubscriptionAsync(host);
        var preview = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/preview?count=2&mail=true&attachmentContent=true");
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        var mail = preview.Body.GetProperty("mail");
        Assert.Equal(preview.Body.GetProperty("latestSettled").GetProperty("utc").GetString(), mail.GetProperty("fireTime").GetString());
        var attachments = mail.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(["csv", "csv"], attachments.Select(a => a.GetProperty("contentType").GetString()![5..]));
        foreach (var a in attachments)
        {
            var inline = Convert.FromBase64String(a.GetProperty("contentBase64").GetString()!);
            Assert.Equal(a.GetProperty("sha256").GetString(), Sha(inline));
            Assert.Equal(a.GetProperty("bytes").GetInt64(), inline.Length);
            using var fetched = await ops.GetAsync(a.GetProperty("href").GetString());
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            Assert.Equal(a.GetProperty("sha256").GetString(), Sha(await fetched.Content.ReadAsByteArrayAsync()));
        }

        // Sent to nobody, written nowhere.
        Assert.Equal(0, host.Smtp.Messages);
        Assert.Empty((await ops.GetJsonAsync("/api/v1/runs?subscription=daily-1")).Body.GetProperty("items").EnumerateArray());
        Assert.False(Directory.Exists(host.Dir.PathOf("archive")) && Directory.EnumerateFileSystemEntries(host.Dir.PathOf("archive")).Any());

        // The run of the same fire time sends exactly this mail.
        var run = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/run", new { asOf = mail.GetProperty("fireTime").GetString() });
        Assert.Equal(HttpStatusCode.OK, run.Status);
        var sent = MimeMessage.Load(new MemoryStream(Assert.Single(host.Smtp.Received).Raw));
        Assert.Equal(mail.GetProperty("subject").GetString(), sent.Subject);
        Assert.Equal(Lines(mail.GetProperty("textBody").GetString()!), Lines(sent.TextBody ?? ""));
        Assert.Equal(Lines(mail.GetProperty("htmlBody").GetString()!), Lines(sent.HtmlBody ?? ""));
        Assert.Equal(attachments.Select(a => $"{a.GetProperty("fileName").GetString()} {a.GetProperty("sha256").GetString()}"),
            sent.Attachments.OfType<MimePart>().Select(p => $"{p.FileName} {Sha(Decode(p))}"));

        // A draft in the body previews the same way; a bad flag value is a bad request naming it.
        var draft = Definition("draft-1", "1");
        draft.Formats = ["csv"];
        var draftPreview = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/preview?mail=true", draft);
        Assert.Equal(HttpStatusCode.OK, draftPreview.Status);
        Assert.Equal(2, draftPreview.Body.GetProperty("mail").GetProperty("attachments").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/preview?mail=perhaps")).Status);
        Assert.Single(host.Smtp.Received);
    }

    [Fact]
    public async Task TestSend_GoesToOneMarkedAddress_OutsideTheLedger()
    {
        await using var host = await StartWithCdrsAsync(pg);
        var ops = await CreateSubscriptionAsync(host);
        foreach (var bad in new object[] { new { }, new { address = "not an address" }, new { address = "a@example.com, b@example.com" }, new { address = "x@example.com", asOf = "whenever" } })
        {
            var refused = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/test-send", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            var field = refused.Body.GetProperty("errors").EnumerateObject().Single().Name;
            Assert.Contains(field, new[] { "address", "asOf" });
        }

        var test = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/test-send", new { address = "Tester@Example.com", asOf = AsOf });
        Assert.Equal(HttpStatusCode.OK, test.Status);
        Assert.Equal("delivered", test.Body.GetProperty("outcome").GetString());
        var received = Assert.Single(host.Smtp.Received);
        Assert.Equal(["tester@example.com"], received.To.Select(t => t.ToLowerInvariant()));
        var message = MimeMessage.Load(new MemoryStream(received.Raw));
        Assert.StartsWith("[TEST] ", message.Subject, StringComparison.Ordinal);
        Assert.Contains("not a delivery", message.Headers["X-CarrierReports-Test"], StringComparison.Ordinal);
        Assert.Equal(2, message.Attachments.Count());

        // Outside the ledger: no run, no delivery, no archive; the real run still reaches the real recipient, under another Message-ID.
        Assert.Empty((await ops.GetJsonAsync("/api/v1/runs?subscription=daily-1")).Body.GetProperty("items").EnumerateArray());
        Assert.False(Directory.Exists(host.Dir.PathOf("archive")) && Directory.EnumerateFileSystemEntries(host.Dir.PathOf("archive")).Any());
        Assert.Equal(HttpStatusCode.OK, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/run", new { asOf = AsOf })).Status);
        var real = MimeMessage.Load(new MemoryStream(host.Smtp.Received.Last().Raw));
        Assert.Equal(["noc@example.com"], host.Smtp.Received.Last().To);
        Assert.Equal(message.Subject, "[TEST] " + real.Subject);
        Assert.NotEqual(message.MessageId, real.MessageId);
        Assert.False(real.Headers.Contains("X-CarrierReports-Test"));

        var audit = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "subscriptions.test-send"), CancellationToken.None)).Entries;
        var entry = Assert.Single(audit);
        Assert.Equal(("daily-1", "success"), (entry.Target, entry.Outcome));
        Assert.Contains("tester@example.com", entry.After ?? "", StringComparison.Ordinal);

        var outsider = await host.KeyClientAsync(Role.Operator, CarrierScope.Of(["544"]));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/test-send", new { address = "x@example.com" })).Status);
        Assert.Equal(2, host.Smtp.Received.Count);
    }

    internal static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    internal static byte[] Decode(MimePart part)
    {
        using var buffer = new MemoryStream();
        part.Content!.DecodeTo(buffer);
        return buffer.ToArray();
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd().Split('\n');
}
