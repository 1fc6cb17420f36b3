using System.Net;
using System.Text.Json;
using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;
using static CarrierReports.Tests.Api.OperatorMailApiTests;

namespace CarrierReports.Tests.Api;

/// <summary>Backfill jobs over HTTP: 202 and a job whose progress is read back, runs recorded as backfill, cancel between periods.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackfillApiTests(PostgresFixture pg)
{
    [Fact]
    public async Task Backfill_RunsInTheBackground_ReportsProgress_AndCanBeCancelled()
    {
        await using var host = await StartWithCdrsAsync(pg);
        var ops = await CreateSubscriptionAsync(host);
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { to = "2026-11-03" }, "from"), (new { from = "2026-11-03", to = "2026-11-01" }, "to"),
                     (new { from = "yesterday-ish", to = "2026-11-01" }, "from"), (new { from = "1900-01-01", to = "2026-11-01" }, "to"),
                 })
        {
            var refused = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/backfill", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: {refused.Body}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/daily-1/backfill") { Content = System.Net.Http.Json.JsonContent.Create(new { from = "2026-11-01", to = "2026-11-03" }) };
        using var accepted = await ops.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.ToString();
        Assert.Equal(2, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32());
        var job = await WaitAsync(ops, location);
        Assert.Equal(("succeeded", 2, 2, 0), (job.GetProperty("state").GetString(), job.GetProperty("total").GetInt32(), job.GetProperty("done").GetInt32(), job.GetProperty("failed").GetInt32()));
        var runs = (await ops.GetJsonAsync("/api/v1/runs?subscription=daily-1")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["backfill", "backfill"], runs.Select(r => r.GetProperty("trigger").GetString()));
        Assert.Equal(2, host.Smtp.Received.Count);

        // A long span, cancelled at once: it stops between periods, well before the end.
        var longJob = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-1/backfill", new { from = "2026-08-01", to = "2026-11-01" });
        var longId = longJob.Body.GetProperty("jobId").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await ops.SendAsync(HttpMethod.Post, $"/api/v1/backfills/{longId}/cancel")).Status);
        var cancelled = await WaitAsync(ops, $"/api/v1/backfills/{longId}");
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.True(cancelled.GetProperty("done").GetInt32() < cancelled.GetProperty("total").GetInt32(), cancelled.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await ops.SendAsync(HttpMethod.Post, $"/api/v1/backfills/{longId}/cancel")).Status);

        var outsider = await host.KeyClientAsync(Role.Operator, CarrierScope.Of(["544"]));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetJsonAsync(location)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.KeyClientAsync(Role.Viewer)).GetJsonAsync(location)).Status);
        var audit = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "runs.backfill*"), CancellationToken.None)).Entries;
        Assert.Equal(["runs.backfill", "runs.backfill", "runs.backfill-cancel", "runs.backfill-cancel"], audit.Select(e => e.Action));
    }

    /// <summary>Polls the job until it is finished (at most a minute).</summary>
    private static async Task<JsonElement> WaitAsync(HttpClient client, string location)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = (await client.GetJsonAsync(location)).Body;
            if (job.GetProperty("state").GetString() is not ("queued" or "running"))
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"backfill job {location} did not finish within a minute");
    }
}
