using System.Globalization;
using CarrierReports.Tests.Cluster;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Health;

/// <summary>The <c>health</c> command and the web host's health URLs against real <c>serve</c> nodes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthTests(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private string _cdr = "";

    public async Task InitializeAsync() => _cdr = await ClusterCdrData.CreateAsync(pg.Cluster, "health_cdr");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoNodesServing_Healthy_OverHttpToo_ThenBothKilled_UnhealthyNamingSilentNodesAndTheOverdueSubscription()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "health");
        h.Settings["Health:OverdueAfter"] = "00:00:03";
        var a = h.StartNode("node-a");
        var b = h.StartNode("node-b");
        await h.WaitForCheckInAsync(a);
        await h.WaitForCheckInAsync(b);
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Count(r => r.Status == "succeeded") >= 2, TimeSpan.FromSeconds(40), "two successful runs");

        var healthy = await CliRunner.RunAsync(h.Settings, "health");
        Assert.True(healthy.ExitCode == 0, healthy.Stdout + healthy.Stderr);
        Assert.StartsWith("health: OK", healthy.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"ok cluster +2 node\(s\) alive: node-a \(checked in [0-9.]+ s ago\), node-b", healthy.Stdout);
        Assert.Contains("ok overdue    none of 1 enabled subscriptions", healthy.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok failures   no failed run", healthy.Stdout, StringComparison.Ordinal);

        // Over HTTP: readiness says only its status; the full report is for signed-in users (here a viewer's key).
        var web = await a.WebUrlAsync();
        using var http = await ViewerClientAsync(h.Settings, web);
        using (var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("""{"status":"Healthy"}""", await ready.Content.ReadAsStringAsync());
        }

        using (var details = await http.GetAsync(new Uri("/health/details", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, details.StatusCode);
            var text = await details.Content.ReadAsStringAsync();
            Assert.StartsWith("health: OK", text, StringComparison.Ordinal);
            Assert.Matches(@"ok cluster +2 node\(s\) alive", text);
        }

        a.Kill();
        b.Kill();
        // Silent longer than check-in interval + misfire threshold (1 s + 5 s), and a fire passed its 3 s allowance.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var unhealthy = await CliRunner.RunAsync(h.Settings, "health");
        output.WriteLine(healthy.Stdout);
        output.WriteLine(unhealthy.Stdout);
        Assert.Equal(1, unhealthy.ExitCode);
        Assert.StartsWith("health: UNHEALTHY", unhealthy.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"!! cluster +0 node\(s\) alive: none; silent: node-a \(checked in [0-9.]+ s ago\), node-b", unhealthy.Stdout);
        Assert.Matches(@"!! overdue +acme-5s: fire time \S+ for \S+ was due by \S+ and has no run in the ledger", unhealthy.Stdout);
    }

    [Fact]
    public async Task FinalFailureAndUnreachableDatabase_AreUnhealthy()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "health_fail");
        var blocker = Path.Combine(h.Dir.Path, "blocked");
        await File.WriteAllTextAsync(blocker, "not a folder");
        h.Settings["Archive:Root"] = Path.Combine(blocker, "archive");
        h.Settings["Scheduling:MaxRunAttempts"] = "1";
        var node = h.StartNode("node-a");
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Any(r => r.Status == "failed"), TimeSpan.FromSeconds(40), "a failed run");

        var result = await CliRunner.RunAsync(h.Settings, "health");
        using var http = await ViewerClientAsync(h.Settings, await node.WebUrlAsync());
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var readyBody = await ready.Content.ReadAsStringAsync();
        using var details = await http.GetAsync(new Uri("/health/details", UriKind.Relative));
        var detailsBody = await details.Content.ReadAsStringAsync();
        node.Kill();
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"!! failures +last failed run run-\w+ of acme-5s \(attempt 1\) on node-a at \S+: archive: cannot store the report under .* — final", result.Stdout);
        Assert.Matches(@"ok cluster +1 node\(s\) alive: node-a", result.Stdout);

        // A final failure is in the full report (503), while readiness (database, scheduler, cluster) stays up and
        // its public body carries no error text or paths.
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, details.StatusCode);
        Assert.Contains("archive: cannot store the report under", detailsBody, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", readyBody);

        var nowhere = new Dictionary<string, string?>(h.Settings)
        {
            ["Database:ConnectionString"] = $"Host=127.0.0.1;Port={SmtpTestServer.FreePort().ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=none;Timeout=3",
        };
        var down = await CliRunner.RunAsync(nowhere, "health");
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("!! database   unreachable (Postgres): Database:ConnectionString: cannot open the service database", down.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A client with a viewer's API key, made with the CLI as an operator would.</summary>
    private static async Task<HttpClient> ViewerClientAsync(Dictionary<string, string?> settings, Uri web)
    {
        var created = await CliRunner.RunAsync(settings, "keys", "create", "health-probe", "--role", "viewer");
        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        var token = created.Stdout.Split('\n').Single(l => l.StartsWith("key (shown only now): ", StringComparison.Ordinal))["key (shown only now): ".Length..].Trim();
        var http = new HttpClient { BaseAddress = web };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
