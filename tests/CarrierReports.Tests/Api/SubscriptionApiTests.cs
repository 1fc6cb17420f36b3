using CarrierReports.Access;
using System.Net;
using System.Text.Json;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>/api/v1/subscriptions over real Kestrel: entity tags, concurrent edits, history and restore, validation problems, paging, redaction.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionApiTests(PostgresFixture pg)
{
    private const string Base = "/api/v1/subscriptions";

    [Fact]
    public async Task ChangesNeedTheCurrentETag_AndTwoConcurrentEditsNeverLoseOne()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.UserClientAsync(Role.Operator);
        var created = await ops.SendAsync(HttpMethod.Post, Base, Definition("daily-544"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var etag = created.ETag!;
        var read = await ops.GetJsonAsync($"{Base}/daily-544");
        Assert.Equal(etag, read.ETag);

        var noIfMatch = await ops.SendAsync(HttpMethod.Put, $"{Base}/daily-544", Definition("daily-544", "544", "a@example.com"));
        Assert.Equal(HttpStatusCode.PreconditionRequired, noIfMatch.Status);
        Assert.Equal(428, noIfMatch.Body.GetProperty("status").GetInt32());

        // Two people read the same version and save at once: exactly one wins, the other gets 412 and loses nothing silently.
        var both = await Task.WhenAll(
            ops.SendAsync(HttpMethod.Put, $"{Base}/daily-544", Definition("daily-544", "544", "first@example.com"), etag),
            ops.SendAsync(HttpMethod.Put, $"{Base}/daily-544", Definition("daily-544", "544", "second@example.com"), etag));
        Assert.Single(both, r => r.Status == HttpStatusCode.OK);
        Assert.Single(both, r => r.Status == HttpStatusCode.PreconditionFailed);
        var winner = both.Single(r => r.Status == HttpStatusCode.OK);
        var now = await ops.GetJsonAsync($"{Base}/daily-544");
        Assert.Equal(winner.ETag, now.ETag);
        Assert.Equal(winner.Body.GetProperty("definition").GetProperty("recipients").GetProperty("to")[0].GetString(),
            now.Body.GetProperty("definition").GetProperty("recipients").GetProperty("to")[0].GetString());

        // The loser reads again and reapplies: both changes are now in the history.
        var retry = await ops.SendAsync(HttpMethod.Post, $"{Base}/daily-544/disable", null, now.ETag);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        var stale = await ops.SendAsync(HttpMethod.Delete, $"{Base}/daily-544", null, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var history = await ops.GetJsonAsync($"{Base}/daily-544/versions");
        Assert.Equal(["create", "update", "disable"], history.Body.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task DeleteIsSoft_HistoryShowsWhoChangedWhat_AndRestoreBringsAVersionBack()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.UserClientAsync(Role.Operator);
        var v1 = await ops.SendAsync(HttpMethod.Post, Base, Definition("monthly", "544", "one@example.com"));
        var v2 = await ops.SendAsync(HttpMethod.Put, $"{Base}/monthly", Definition("monthly", "544", "two@example.com"), v1.ETag);
        var deleted = await ops.SendAsync(HttpMethod.Delete, $"{Base}/monthly", null, v2.ETag);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetJsonAsync($"{Base}/monthly")).Status);

        var history = await ops.GetJsonAsync($"{Base}/monthly/versions");
        var versions = history.Body.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(3, versions.Count);
        Assert.True(versions[2].GetProperty("deleted").GetBoolean());
        Assert.Equal(["recipients"], versions[1].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()!.ToLowerInvariant()));
        Assert.Equal("one@example.com", versions[1].GetProperty("before").GetProperty("recipients").GetProperty("to")[0].GetString());
        Assert.StartsWith("operator", versions[1].GetProperty("changedBy").GetString(), StringComparison.Ordinal);

        var restored = await ops.SendAsync(HttpMethod.Post, $"{Base}/monthly/versions/1/restore", null, history.ETag);
        Assert.Equal(HttpStatusCode.OK, restored.Status);
        Assert.Equal(4, restored.Body.GetProperty("version").GetInt32());
        Assert.Equal("one@example.com", restored.Body.GetProperty("definition").GetProperty("recipients").GetProperty("to")[0].GetString());

        var audit = await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Target: "monthly"), CancellationToken.None);
        Assert.Equal(["subscriptions.create", "subscriptions.update", "subscriptions.delete", "subscriptions.restore"], audit.Entries.Select(e => e.Action));
        Assert.Contains("two@example.com", audit.Entries[2].Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFields_AreProblemDetails_NamingEachFieldInTheConfigWords()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.UserClientAsync(Role.Operator);
        var bad = Definition("bad-one");
        bad.TimeZone = "Mars/Olympus";
        bad.Recipients.To = ["not an address"];
        bad.Cadence = "sometimes";
        var answer = await ops.SendAsync(HttpMethod.Post, Base, bad);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var errors = answer.Body.GetProperty("errors");
        var expected = Assert.Throws<CarrierReports.Subscriptions.SubscriptionException>(() => CarrierReports.Subscriptions.Subscription.Create(bad, "database"));
        foreach (var field in new[] { "TimeZone", "Recipients:To", "Cadence" })
        {
            var reason = errors.GetProperty(field)[0].GetString()!;
            Assert.Contains(expected.Errors, e => e.EndsWith($": {field}: {reason}", StringComparison.Ordinal));
        }

        var unknownField = await ops.SendAsync(HttpMethod.Post, Base, """{ "Id": "x", "Carier": "544" }""");
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);
        Assert.Contains("Carier", unknownField.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileSubscriptions_AreListedReadOnly_ViewersSeeNoAddresses_AndPagesAreStable()
    {
        await using var host = await ApiHost.StartAsync(pg);
        Directory.CreateDirectory(host.Dir.PathOf("subscriptions"));
        await File.WriteAllTextAsync(host.Dir.PathOf("subscriptions/fixed.json"),
            """{ "Id": "fixed", "Carrier": "545", "TimeZone": "UTC", "Cadence": "hourly", "Recipients": { "To": ["f@example.com"], "Cc": ["g@example.com"] } }""");
        var ops = await host.UserClientAsync(Role.Operator);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await ops.SendAsync(HttpMethod.Post, Base, Definition($"s{i}", i % 2 == 0 ? "544" : "546"))).Status);
        }

        var fixedOne = await ops.GetJsonAsync($"{Base}/fixed");
        Assert.True(fixedOne.Body.GetProperty("readOnly").GetBoolean());
        Assert.Equal("file", fixedOne.Body.GetProperty("source").GetString());
        var change = await ops.SendAsync(HttpMethod.Post, $"{Base}/fixed/disable", null, fixedOne.ETag);
        Assert.Equal(HttpStatusCode.Conflict, change.Status);
        Assert.Contains("fixed.json", change.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var viewer = await host.UserClientAsync(Role.Viewer);
        var seen = await viewer.GetJsonAsync($"{Base}/fixed");
        Assert.Equal(JsonValueKind.Null, seen.Body.GetProperty("definition").GetProperty("recipients").ValueKind);
        Assert.Equal(1, seen.Body.GetProperty("definition").GetProperty("recipientCounts").GetProperty("cc").GetInt32());
        Assert.DoesNotContain("f@example.com", seen.Body.GetRawText(), StringComparison.Ordinal);

        var ids = new List<string>();
        string? next = null;
        do
        {
            var page = await viewer.GetJsonAsync($"{Base}?limit=3{(next is null ? "" : $"&after={next}")}");
            ids.AddRange(page.Body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            next = page.Body.GetProperty("next").GetString();
            // A subscription added between pages sorts before the cursor or after it, never shifting pages already read.
            await ops.SendAsync(HttpMethod.Post, Base, Definition($"a{ids.Count}"));
        }
        while (next is not null);

        Assert.Equal(ids.Distinct().Order(StringComparer.Ordinal), ids);
        Assert.Contains("fixed", ids);
        Assert.Contains("s6", ids);
        var filtered = await viewer.GetJsonAsync($"{Base}?carrier=546&source=database");
        Assert.Equal(["s1", "s3", "s5"], filtered.Body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetJsonAsync($"{Base}?source=floppy")).Status);
    }
}
