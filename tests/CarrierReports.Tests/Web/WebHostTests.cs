using System.Net;

namespace CarrierReports.Tests.Web;

/// <summary>What the web host of a real <c>serve</c> process shows to whom, and web-only nodes.</summary>
public sealed class WebHostTests
{
    [Fact]
    public async Task EveryAnswer_CarriesSecurityHeaders_PublicHealthIsStatusOnly_DetailsNeedSignIn()
    {
        using var serve = SqliteServe.Start();
        using var http = new HttpClient { BaseAddress = await serve.Node.WebUrlAsync() };

        foreach (var (method, path, status) in new[] { ("GET", "/health/live", 200), ("GET", "/health/ready", 200), ("HEAD", "/health/live", 200), ("GET", "/health/details", 401), ("GET", "/nothing-here", 404), ("POST", "/health/ready", 405) })
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), "no CORS");
            Assert.False(response.Headers.Contains("Server"), "no server banner");
        }

        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal("""{"status":"Healthy"}""", await ready.Content.ReadAsStringAsync());
        Assert.StartsWith("application/json", ready.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);

        // Not even from this machine: the full report needs a signed-in user (ApiHealthTests), whoever connects.
        using var details = await http.GetAsync(new Uri("/health/details", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, details.StatusCode);
        Assert.Equal("application/problem+json", details.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("database", await details.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebOnlyNode_RunsNoScheduler_IsReady_AndSigtermExits0()
    {
        using var byFlag = SqliteServe.Start(null, "--web-only");
        using var bySetting = SqliteServe.Start(new Dictionary<string, string?> { ["Web:Scheduler"] = "false" });
        foreach (var node in new[] { byFlag.Node, bySetting.Node })
        {
            using var http = new HttpClient { BaseAddress = await node.WebUrlAsync() };
            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("Web-only node: the scheduler is off", node.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Quartz", node.Output, StringComparison.Ordinal);
        }

        // Asked to stop (SIGTERM, as a service manager does): exit code 0, unlike a failure (ServeExitTests).
        await bySetting.Node.StopAsync(TimeSpan.FromSeconds(30));
        Assert.True(bySetting.Node.ExitCode == 0, bySetting.Node.Output);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
