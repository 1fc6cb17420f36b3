using System.Net;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;

namespace CarrierReports.Tests.Api;

/// <summary>
/// A carrier-scoped caller's runs come from a carrier map that is reused for a few seconds (it reads every
/// subscription): a change saved in this process must still show at once, in both directions.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScopedRunsFreshnessTests(PostgresFixture pg)
{
    [Fact]
    public async Task ScopedRuns_FollowASubscriptionMovedToAnotherCarrier_AtOnce()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.UserClientAsync(Role.Operator);
        var created = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", ApiTestCalls.Definition("moving", "544"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        await ApiTestCalls.InsertRunAsync(host, "run-moving", "moving");
        var viewer546 = await host.UserClientAsync(Role.Viewer, CarrierScope.Of(["546"]));
        var viewer544 = await host.UserClientAsync(Role.Viewer, CarrierScope.Of(["544"]));
        Assert.Empty(await RunIdsAsync(viewer546, "/api/v1/runs"));
        Assert.Equal(["run-moving"], await RunIdsAsync(viewer544, "/api/v1/runs"));

        var moved = await ops.SendAsync(HttpMethod.Put, "/api/v1/subscriptions/moving", ApiTestCalls.Definition("moving", "546"), created.ETag);
        Assert.Equal(HttpStatusCode.OK, moved.Status);

        Assert.Equal(["run-moving"], await RunIdsAsync(viewer546, "/api/v1/runs"));
        Assert.Equal(["run-moving"], await RunIdsAsync(ops, "/api/v1/runs?carrier=546"));
        Assert.Empty(await RunIdsAsync(viewer544, "/api/v1/runs"));
    }

    private static async Task<List<string>> RunIdsAsync(HttpClient client, string path)
    {
        var (status, body, _) = await client.GetJsonAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!)];
    }
}
