using System.Net;
using System.Text.RegularExpressions;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Runs;
using CarrierReports.Templating;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using MimeKit;

namespace CarrierReports.Tests.Delivery;

/// <summary>
/// The mail's "Attached" list says exactly what is attached: compared with the MIME parts of a real run's mail as the
/// in-process SMTP server received it, in both bodies, and for a list rendered from every file the run wrote (the
/// manifest too, as the demo's mail page passes them): the manifest is archived, never attached, so never listed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class AttachedListTests(PostgresFixture pg)
{
    [Fact]
    public async Task AttachedList_NamesExactlyTheMimeAttachments_OfARealRunsMail()
    {
        await using var host = await OperatorMailApiTests.StartWithCdrsAsync(pg);
        var ops = await host.KeyClientAsync(Access.Role.Operator);
        var definition = ApiTestCalls.Definition("attached-1", "1");
        definition.Formats = ["pdf", "xlsx", "csv"];
        Assert.Equal(HttpStatusCode.Created, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", definition)).Status);
        var run = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/attached-1/run", new { asOf = OperatorMailApiTests.AsOf });
        Assert.Equal(HttpStatusCode.OK, run.Status);

        var mail = MimeMessage.Load(new MemoryStream(Assert.Single(host.Smtp.Received).Raw));
        var parts = mail.Attachments.OfType<MimePart>().Select(p => p.FileName ?? "").Order(StringComparer.Ordinal).ToList();
        Assert.Equal([".csv", ".pdf", ".totals.csv", ".xlsx"], parts.Select(p => p[p.IndexOf('.', StringComparison.Ordinal)..]).Order(StringComparer.Ordinal));
        Assert.Equal(parts, Listed(mail.TextBody ?? ""));
        Assert.Equal(parts, Listed(HtmlText(mail.HtmlBody ?? "")));

        // Every file the run wrote, the manifest included (the ledger has them all): the list still names only the parts.
        var written = await host.Get<RunLedger>().ArtifactsAsync(run.Body.GetProperty("runId").GetString()!, CancellationToken.None);
        Assert.Contains(written, a => a.Format == MailAttachments.ManifestFormat);
        var files = written.Select(a => new Artifact(a.Format, a.FileName, "application/octet-stream", new byte[a.Bytes])).ToList();
        var sample = TemplateSamples.Cases().First().Report;
        var rendered = host.Get<TemplateRenderer>().RenderMail(sample, new RenderOptions(), files, MailExtras.None);
        Assert.Equal(parts, Listed(rendered.TextBody));
        Assert.Equal(parts, Listed(HtmlText(rendered.HtmlBody)));
    }

    /// <summary>The file names under "Attached" (text body: an ATTACHED heading, then one "name (size)" a line).</summary>
    private static List<string> Listed(string body)
    {
        var lines = body.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() is "ATTACHED" or "Attached");
        Assert.True(start >= 0, "no Attached list in:\n" + body);
        return [.. lines.Skip(start + 1).Where(l => l.Trim().Length > 0).Select(l => ListedFile().Match(l)).TakeWhile(m => m.Success).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
    }

    /// <summary>The HTML body as lines of text (a line a <c>&lt;br&gt;</c>), entities decoded.</summary>
    private static string HtmlText(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(html.Replace("<br>", "\n", StringComparison.Ordinal), ""));

    [GeneratedRegex(@"^\s*(\S+) \([\d.,]+ [KM]?B\)\s*$")]
    private static partial Regex ListedFile();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
