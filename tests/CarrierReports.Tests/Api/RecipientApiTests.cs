using CarrierReports.Access;
using System.Net;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>Someone leaves: every subscription they receive, and their address replaced everywhere in one audited, all-or-nothing change.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RecipientApiTests(PostgresFixture pg)
{
    [Fact]
    public async Task ReplaceEverywhere_IsOneChange_AndAStaleListingChangesNothing()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.KeyClientAsync(Role.Operator);
        var a = Definition("a", "544", "leaver@example.com", "stays@example.com");
        var b = Definition("b", "545", "stays@example.com");
        b.Recipients.Cc = ["Leaver <LEAVER@example.com>"];
        await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", a);
        await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", b);
        await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", Definition("c", "544", "other@example.com"));

        var viewer = await host.KeyClientAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetJsonAsync("/api/v1/recipients/leaver@example.com")).Status);
        var listed = await ops.GetJsonAsync("/api/v1/recipients/leaver@example.com");
        var items = listed.Body.GetProperty("subscriptions").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], items.Select(i => i.GetProperty("subscriptionId").GetString()));
        Assert.Equal("cc", items[1].GetProperty("as")[0].GetString());
        var seen = items.ToDictionary(i => i.GetProperty("subscriptionId").GetString()!, i => i.GetProperty("eTag").GetString()!);

        // Someone edits 'b' after the listing: the whole replacement is refused and 'a' is left as it was.
        var bNow = await ops.GetJsonAsync("/api/v1/subscriptions/b");
        await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/b/disable", null, bNow.ETag);
        var stale = await ops.SendAsync(HttpMethod.Post, "/api/v1/recipients/leaver@example.com/replace", new { with = "successor@example.com", seen });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(1, (await ops.GetJsonAsync("/api/v1/subscriptions/a")).Body.GetProperty("version").GetInt32());

        seen["b"] = (await ops.GetJsonAsync("/api/v1/subscriptions/b")).ETag!;
        var done = await ops.SendAsync(HttpMethod.Post, "/api/v1/recipients/leaver@example.com/replace", new { with = "successor@example.com", seen });
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetJsonAsync("/api/v1/recipients/leaver@example.com")).Status);
        var successor = await ops.GetJsonAsync("/api/v1/recipients/successor@example.com");
        Assert.Equal(["a", "b"], successor.Body.GetProperty("subscriptions").EnumerateArray().Select(i => i.GetProperty("subscriptionId").GetString()));
        Assert.Equal(["other@example.com"], (await ops.GetJsonAsync("/api/v1/subscriptions/c")).Body.GetProperty("definition").GetProperty("recipients")
            .GetProperty("to").EnumerateArray().Select(x => x.GetString()));

        var audit = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "recipients.*"), CancellationToken.None)).Entries;
        var row = Assert.Single(audit);
        Assert.Equal("leaver@example.com", row.Target);
        Assert.Contains("successor@example.com", row.After, StringComparison.Ordinal);
    }
}
