using CarrierReports.Access;
using System.Net;
using System.Text;
using System.Text.Json;
using CarrierReports.Identity;
using CarrierReports.Telemetry;
using CarrierReports.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Web;

/// <summary>The OpenAPI document, the reference page and <c>/metrics</c> of the real app over Kestrel.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ApiDocsAndMetricsTests(PostgresFixture pg)
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task OpenApiDocument_Parses_AndListsEveryApiEndpoint_ReferencePageListsThemWithWhoMayCall()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var anonymous = host.Anonymous();
        using var response = await anonymous.GetAsync(U("/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();

        var routed = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {RouteConstraint().Replace(e.RoutePattern.RawText!.TrimEnd('/'), "{$1}")}"))
            .ToList();
        Assert.Contains("POST /api/v1/users/{name}/disable", routed);
        var missing = routed.Where(r => !documented.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "not in the OpenAPI document: " + string.Join("; ", missing));

        using var page = await anonymous.GetAsync(U("/api/reference"));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<td>POST</td><td><code>/api/v1/users</code></td><td>admin</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>GET</td><td><code>/api/v1/audit</code></td><td>auditor, admin</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_ForThisMachineOrAnAdmin_NotForOthers_ShowServiceAndHttpMetrics()
    {
        await using var host = await ApiHost.StartAsync(pg);
        ServiceMetrics.RunCompleted("succeeded", TimeSpan.FromSeconds(2));
        ServiceMetrics.DeliveryRecorded("delivered");
        ServiceMetrics.SmtpAttempt("transient");
        var local = host.Anonymous();
        await local.GetAsync(U("/health/ready"));

        var text = await local.GetStringAsync(U("/metrics"));
        Assert.Contains("carrierreports_runs_total{", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"succeeded\"", text, StringComparison.Ordinal);
        Assert.Contains("carrierreports_run_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("carrierreports_deliveries_total{", text, StringComparison.Ordinal);
        Assert.Contains("carrierreports_smtp_attempts_total{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^carrierreports_health_overdue(_ratio)?(\{[^}]*\})? [01]( |$)", text);

        // Relayed by a proxy on this machine: someone else, who needs an admin's key.
        async Task<HttpStatusCode> ViaProxyAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ViaProxyAsync(host.Anonymous()));
        Assert.Equal(HttpStatusCode.Forbidden, await ViaProxyAsync(await host.KeyClientAsync(Role.Viewer)));
        Assert.Equal(HttpStatusCode.OK, await ViaProxyAsync(await host.KeyClientAsync(Role.Admin)));
    }

    [Fact]
    public async Task PostPutAndGarbage_ToMetricsAndHealth_LeaveTheHostRunning()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var client = host.Anonymous();
        foreach (var path in new[] { "/metrics", "/health/live", "/health/ready", "/health/details" })
        {
            foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"x\":", Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
            }

            var garbage = await RawHttp.SendAsync(host.BaseAddress, $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n\u0001\u0002garbage");
            Assert.StartsWith("HTTP/1.1 400", garbage, StringComparison.Ordinal);
            await RawHttp.SendAsync(host.BaseAddress, "\u0016\u0003\u0001 not http at all\r\n\r\n", closeAfterSend: true);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(U("/health/live"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(U("/metrics"))).StatusCode);
    }

    /// <summary>A route parameter's constraint (<c>{version:int}</c>): OpenAPI paths name the parameter only.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();
}
