using System.Net;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;

namespace CarrierReports.Tests.Api;

/// <summary>
/// The subscription list is paged from the database in keyset batches (not loaded whole): pages of a filtered,
/// scoped list, merged with a file subscription, must still be exactly the matching subscriptions in ordinal id order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionPagingTests(PostgresFixture pg)
{
    private const string Base = "/api/v1/subscriptions";

    [Fact]
    public async Task ScopedFilteredPages_AreEveryMatchInOrdinalOrder_AcrossBatchesAndSources()
    {
        await using var host = await ApiHost.StartAsync(pg);
        Directory.CreateDirectory(host.Dir.PathOf("subscriptions"));
        await File.WriteAllTextAsync(host.Dir.PathOf("subscriptions/file.json"),
            """{ "Id": "k_file", "Carrier": "546", "TimeZone": "UTC", "Cadence": "hourly", "Recipients": { "To": ["f@example.com"] } }""");
        var ops = await host.UserClientAsync(Role.Operator);
        // '-' < digits < '_' < letters in ordinal order; a language collation would interleave them differently.
        string[] ids = ["k-1", "k_1", "k0", "k-2", "k_2", "ka", "k-3", "k1", "k_3", "kb", "k-4", "k2", "k_4", "kc", "k9"];
        for (var i = 0; i < ids.Length; i++)
        {
            var created = await ops.SendAsync(HttpMethod.Post, Base, ApiTestCalls.Definition(ids[i], i % 3 == 0 ? "544" : "546"));
            Assert.Equal(HttpStatusCode.Created, created.Status);
        }

        var expected = ids.Where((_, i) => i % 3 != 0).Append("k_file").Order(StringComparer.Ordinal).ToList();
        var scoped = await host.UserClientAsync(Role.Viewer, CarrierScope.Of(["546"]));
        foreach (var (client, query) in new[] { (scoped, ""), (ops, "&carrier=546") })
        {
            var seen = new List<string>();
            string? next = null;
            do
            {
                var page = await client.GetJsonAsync($"{Base}?limit=2{query}{(next is null ? "" : $"&after={next}")}");
                Assert.Equal(HttpStatusCode.OK, page.Status);
                seen.AddRange(page.Body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
                next = page.Body.GetProperty("next").GetString();
            }
            while (next is not null);

            Assert.Equal(expected, seen);
        }

        // One subscription by id, from the database and from the folder; outside the scope it does not exist.
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetJsonAsync($"{Base}/k_2")).Status);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetJsonAsync($"{Base}/k_file")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetJsonAsync($"{Base}/k-1")).Status);
    }
}
