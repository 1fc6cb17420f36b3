using System.Net;
using System.Net.Http.Json;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Web;
using CarrierReports.Web.Auth;

namespace CarrierReports.Tests.Web;

/// <summary>
/// Behind a reverse proxy, over real Kestrel: X-Forwarded-For/-Proto are believed only from a listed proxy, and under
/// Web:PathBase the cookies, the API and the Location of a created resource stay inside the prefix.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReverseProxyTests(PostgresFixture pg)
{
    private const string ClaimedClient = "203.0.113.7";

    [Theory]
    [InlineData("127.0.0.1", true)]   // the test client is the proxy on this machine
    [InlineData("10.9.8.7", false)]   // some other machine is the proxy; the test client is not it
    [InlineData(null, false)]         // off (the default)
    public async Task ForwardedHeaders_HonouredOnlyFromAKnownProxy(string? knownProxy, bool honoured)
    {
        var settings = knownProxy is null ? null : new Dictionary<string, string?> { ["Web:ForwardedHeaders:KnownProxies:0"] = knownProxy };
        await using var host = await ApiHost.StartAsync(pg, settings);
        var user = await host.CreateUserAsync(Role.Admin);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, SessionEndpoints.Path)
        {
            Content = JsonContent.Create(new { user = user.Name, password = ApiHost.Password }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", ClaimedClient);
        using var signIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);

        // HTTPS as the proxy saw it: the session cookie is marked Secure only then.
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSchemes.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(honoured, session.Contains("; secure", StringComparison.OrdinalIgnoreCase));

        // The audit trail records the client the proxy names, or else the peer itself.
        var admin = await host.KeyClientAsync(Role.Admin);
        var audit = await admin.GetStringAsync(new Uri("/api/v1/audit/export", UriKind.Relative));
        var signInRow = audit.Split('\n').Single(l => l.Contains($",{user.Name},", StringComparison.Ordinal) && l.Contains("sign-in", StringComparison.Ordinal));
        Assert.Equal(honoured, signInRow.Contains($",{ClaimedClient},", StringComparison.Ordinal));
        Assert.Equal(!honoured, signInRow.Contains(",127.0.0.1,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PathBase_CookiesApiAndLocationsStayUnderThePrefix()
    {
        await using var host = await ApiHost.StartAsync(pg, new Dictionary<string, string?> { ["Web:PathBase"] = "/reports" });
        var user = await host.CreateUserAsync(Role.Admin);
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(host.BaseAddress, "/reports/"),
        };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("health/live", UriKind.Relative))).StatusCode);
        using var signIn = await client.PostAsJsonAsync("api/v1/session", new { user = user.Name, password = ApiHost.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthSchemes.CookieName + "=", StringComparison.Ordinal)
            && c.Contains("path=/reports;", StringComparison.OrdinalIgnoreCase));

        var token = await client.GetFromJsonAsync<SessionEndpoints.AntiforgeryToken>("api/v1/session/antiforgery");
        Assert.Contains(cookies.GetAllCookies(), c => c.Name == AuthSchemes.AntiforgeryCookieName && c.Path == "/reports");
        client.DefaultRequestHeaders.Add(AuthSchemes.AntiforgeryHeader, token!.Token);

        // A created resource points under the prefix, where the proxy routes it back to us.
        using var created = await client.PostAsJsonAsync("api/v1/users", new { name = "sam", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/reports/api/v1/users/sam", created.Headers.Location?.OriginalString);
        using var disable = await client.PostAsync(new Uri(created.Headers.Location + "/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
    }

    [Theory]
    [InlineData("Web:PathBase", "reports", "Web:PathBase: 'reports' must start with '/' and not end with one (e.g. /reports)")]
    [InlineData("Web:PathBase", "/reports/", "Web:PathBase: '/reports/' must start with '/' and not end with one (e.g. /reports)")]
    [InlineData("Web:PathBase", "/a/../b", "Web:PathBase: '/a/../b' is not a plain URL path (no query, fragment, escapes, spaces, empty, '.' or '..' segments)")]
    [InlineData("Web:PathBase", "/a?b", "Web:PathBase: '/a?b' is not a plain URL path (no query, fragment, escapes, spaces, empty, '.' or '..' segments)")]
    [InlineData("Web:ForwardedHeaders:KnownProxies:0", "nginx.local", "Web:ForwardedHeaders:KnownProxies:0: 'nginx.local' is not an IP address")]
    [InlineData("Web:ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "Web:ForwardedHeaders:KnownNetworks:0: '10.0.0.0' is not a network in CIDR notation (e.g. 10.0.0.0/24)")]
    [InlineData("Web:ForwardedHeaders:ForwardLimit", "0", "Web:ForwardedHeaders:ForwardLimit: 0 is not between 1 and 10")]
    public void BadSetting_IsRefusedAtStart_NamingTheSetting(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["Web:Urls"] = "http://127.0.0.1:0", [key] = value };
        var error = Assert.Throws<InputException>(() => WebAppFactory.Build(null, webOnly: true, verbose: false, settings, null));
        Assert.Equal(message, error.Message);
    }
}
