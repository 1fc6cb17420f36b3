using CarrierReports.Access;
using System.Net;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>Operator actions over HTTP: preview (saved and draft, sends nothing), run now and retry recorded in the ledger.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperatorApiTests(PostgresFixture pg)
{
    [Fact]
    public async Task Preview_ShowsNextFiresInZoneAndUtc_AndSendsNothing()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var ops = await host.KeyClientAsync(Role.Operator);
        var draft = Definition("draft", "544");
        draft.TimeZone = "Asia/Kolkata";
        var preview = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/preview?count=3", draft);
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        var fires = preview.Body.GetProperty("nextFires").EnumerateArray().ToList();
        Assert.Equal(3, fires.Count);
        foreach (var fire in fires)
        {
            // daily@06:00 in Kolkata is 00:30 UTC; each reports the local day before.
            Assert.EndsWith("T06:00:00+05:30", fire.GetProperty("local").GetString(), StringComparison.Ordinal);
            Assert.EndsWith("T00:30:00+00:00", fire.GetProperty("utc").GetString(), StringComparison.Ordinal);
            Assert.EndsWith("T00:00:00+05:30", fire.GetProperty("periodLocalFrom").GetString(), StringComparison.Ordinal);
        }

        draft.Cadence = "now and then";
        var bad = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/preview", draft);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("Cadence", out _));
        var outside = await (await host.KeyClientAsync(Role.Operator, CarrierScope.Of(["999"]))).SendAsync(HttpMethod.Post, "/api/v1/subscriptions/preview", Definition("d2"));
        Assert.Equal(HttpStatusCode.NotFound, outside.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.KeyClientAsync(Role.Viewer)).SendAsync(HttpMethod.Post, "/api/v1/subscriptions/preview", Definition("d3"))).Status);
        Assert.Equal(0, host.Smtp.Messages);
    }

    [Fact]
    public async Task RunNow_AndRetry_AreRecordedInTheLedger_EvenWhenTheRunFails()
    {
        // The CDR store has no CDR table, so every run fails: the failure is answered, recorded and retryable.
        await using var host = await ApiHost.StartAsync(pg, new Dictionary<string, string?>
        {
            ["CdrSource:Provider"] = "Sqlite",
            ["CdrSource:ConnectionString"] = "Data Source=" + Path.Combine(Path.GetTempPath(), $"cr-empty-{Guid.NewGuid():N}.db"),
        });
        var ops = await host.KeyClientAsync(Role.Operator);
        await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", Definition("daily-544"));
        var run = await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions/daily-544/run", new { asOf = "2026-11-02T07:00:00Z" });
        Assert.Equal(HttpStatusCode.BadGateway, run.Status);

        var failed = await ops.GetJsonAsync("/api/v1/runs?subscription=daily-544&status=failed");
        var first = Assert.Single(failed.Body.GetProperty("items").EnumerateArray());
        Assert.Equal("manual", first.GetProperty("trigger").GetString());
        Assert.Equal("2026-10-31T23:00:00+00:00", first.GetProperty("periodFrom").GetString());

        var retry = await ops.SendAsync(HttpMethod.Post, $"/api/v1/runs/{first.GetProperty("runId").GetString()}/retry");
        Assert.Equal(HttpStatusCode.BadGateway, retry.Status);
        var all = (await ops.GetJsonAsync("/api/v1/runs?subscription=daily-544")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        Assert.Equal("retry", all[0].GetProperty("trigger").GetString());
        Assert.Equal(2, all[0].GetProperty("attempt").GetInt32());
        Assert.Equal(first.GetProperty("periodFrom").GetString(), all[0].GetProperty("periodFrom").GetString());
        Assert.Equal(0, host.Smtp.Messages);
    }
}
