using System.Net;
using CarrierReports.Access;
using CarrierReports.Runs;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using Microsoft.Playwright;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.WebConsole.Support;

/// <summary>
/// A console site over a CDR database, with one subscription of carrier 1 (PDF and CSV to noc@example.com) that an
/// operator ran through the API: a real run, rendered, archived and delivered over the in-process SMTP server.
/// </summary>
internal sealed record DeliveredRun(ConsoleSite Site, string RunId, IReadOnlyList<ArtifactRecord> Artifacts) : IAsyncDisposable
{
    public const string Subscription = "daily-1";
    public const string Carrier = "1";

    public ArtifactRecord Pdf => Artifacts.Single(a => a.Format == "pdf");

    public static async Task<DeliveredRun> StartAsync(PostgresFixture pg, BrowserFixture browser)
    {
        var cdr = await pg.NewDatabaseAsync("console_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, CdrTestData.Generate(perHour: 2));
        var site = await ConsoleSite.StartAsync(pg, browser, CliRunner.Postgres(cdr));
        var ops = await site.Host.KeyClientAsync(Role.Operator);
        var definition = Definition(Subscription, Carrier);
        definition.Formats = ["pdf", "csv"];
        Assert.Equal(HttpStatusCode.Created, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", definition)).Status);
        var run = await ops.SendAsync(HttpMethod.Post, $"/api/v1/subscriptions/{Subscription}/run", new { asOf = OperatorMailApiTests.AsOf });
        Assert.Equal(HttpStatusCode.OK, run.Status);
        var runId = run.Body.GetProperty("runId").GetString()!;
        Assert.Equal("succeeded", run.Body.GetProperty("status").GetString());
        var artifacts = await site.Host.Get<RunLedger>().ArtifactsAsync(runId, CancellationToken.None);
        return new DeliveredRun(site, runId, artifacts);
    }

    /// <summary>An operator of this run's carrier, signed in on a new page: who retries, resends and runs it.</summary>
    public Task<IPage> OperatorPageAsync() => Site.SignedInPageAsync(Role.Operator, CarrierScope.Of([Carrier]));

    public ValueTask DisposeAsync() => Site.DisposeAsync();
}
