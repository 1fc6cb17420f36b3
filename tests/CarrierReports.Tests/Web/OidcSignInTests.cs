using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Web;

/// <summary>
/// Single sign-on end to end over real HTTP: our app (real Kestrel, test PostgreSQL) and an OpenIddict provider (real
/// Kestrel) on loopback; a cookie-keeping client follows every redirect of the code flow by hand, so each hop
/// (challenge, authorize with PKCE, callback, code exchange, session cookie) is the real one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OidcSignInTests(PostgresFixture pg)
{
    private const string Subscriptions = "/api/v1/subscriptions";

    [Fact]
    public async Task ProviderRoleAndCarriers_BecomeTheSession_AndTheSignInIsAudited()
    {
        await using var provider = await OidcTestProvider.StartAsync();
        await using var host = await StartAppAsync(provider);
        var admin = await host.KeyClientAsync(Role.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, Subscriptions, ApiTestCalls.Definition("daily-544", "544"))).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, Subscriptions, ApiTestCalls.Definition("daily-545", "545"))).Status);

        provider.User = new OidcTestProvider.TestUser("sub-7f3a", "olga", ["operator"], ["544"]);
        var (client, hops, final) = await SignInAsync(host, SessionEndpoints.Path);

        Assert.True(final.StatusCode == HttpStatusCode.OK, $"{string.Join(" -> ", hops)}: {(int)final.StatusCode} {await final.Content.ReadAsStringAsync()}");

        // PKCE: the authorize request carried an S256 challenge (and the provider, which requires it, accepted it).
        var authorize = Assert.Single(hops, h => h.AbsolutePath == "/connect/authorize");
        Assert.Contains("code_challenge=", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", authorize.Query, StringComparison.Ordinal);
        var received = Assert.Single(provider.AuthorizeRequests);
        Assert.False(string.IsNullOrEmpty(received["code_challenge"]));
        Assert.Equal(1, provider.CodeExchanges);
        Assert.Contains(hops, h => h.AbsolutePath == OidcSetup.CallbackPath);

        // Landed on returnUrl (who am I), signed in by the session cookie.
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        var me = JsonDocument.Parse(await final.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("olga", "operator", "oidc"), (me.GetProperty("name").GetString(), me.GetProperty("role").GetString(), me.GetProperty("method").GetString()));
        Assert.Equal(["544"], me.GetProperty("carriers").EnumerateArray().Select(c => c.GetString()));

        // The ordinary policies and scopes apply: operator may change its carrier's subscription, sees 404 for another
        // carrier's, and 403 for admin endpoints.
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync($"{Subscriptions}/daily-544")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetJsonAsync($"{Subscriptions}/daily-545")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetJsonAsync("/api/v1/users")).Status);
        var token = await client.GetFromJsonAsync<SessionEndpoints.AntiforgeryToken>(SessionEndpoints.AntiforgeryPath);
        client.DefaultRequestHeaders.Add(AuthSchemes.AntiforgeryHeader, token!.Token);
        var etag = (await client.GetJsonAsync($"{Subscriptions}/daily-544")).ETag;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Post, $"{Subscriptions}/daily-544/disable", ifMatch: etag)).Status);

        var entries = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(), CancellationToken.None)).Entries;
        var signIn = Assert.Single(entries, e => e.Action == "sign-in");
        Assert.Equal(("olga", "oidc", "sub-7f3a", "operator", "success"), (signIn.Actor, signIn.AuthMethod, signIn.AuthId, signIn.Role, signIn.Outcome));
        Assert.Contains(entries, e => e is { Target: "daily-544", AuthMethod: "oidc", AuthId: "sub-7f3a", Actor: "olga" } && e.Action.StartsWith("subscriptions.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("superuser", "unknown-role")]
    [InlineData(null, "no-role")]
    public async Task UnknownOrMissingRole_IsRefused_AndAuditedAsAFailedSignIn(string? role, string outcome)
    {
        await using var provider = await OidcTestProvider.StartAsync();
        await using var host = await StartAppAsync(provider);
        provider.User = new OidcTestProvider.TestUser("sub-x1", "mallory", role is null ? [] : [role], null);

        var (client, _, final) = await SignInAsync(host, SessionEndpoints.Path);

        Assert.Equal(HttpStatusCode.Forbidden, final.StatusCode);
        var problem = JsonDocument.Parse(await final.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("Sign-in refused: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'role' claim", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetJsonAsync(SessionEndpoints.Path)).Status);

        var entries = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(), CancellationToken.None)).Entries;
        var signIn = Assert.Single(entries, e => e.Action == "sign-in");
        Assert.Equal(("mallory", "oidc", "sub-x1", "none", outcome), (signIn.Actor, signIn.AuthMethod, signIn.AuthId, signIn.Role, signIn.Outcome));
    }

    [Fact]
    public async Task RoleMap_TranslatesProviderGroups_AndForeignReturnUrlsAreRejected()
    {
        await using var provider = await OidcTestProvider.StartAsync();
        await using var host = await StartAppAsync(provider, new() { ["Auth:Oidc:RoleMap:report-auditors"] = "auditor" });
        var anonymous = host.Anonymous();
        foreach (var bad in new[] { "https://evil.example/", "//evil.example/x", "/\\evil.example" })
        {
            var answer = await anonymous.GetJsonAsync($"{OidcSetup.StartPath}?returnUrl={Uri.EscapeDataString(bad)}");
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.True(answer.Body.GetProperty("errors").TryGetProperty("returnUrl", out _), bad);
        }

        Assert.Empty(provider.AuthorizeRequests);

        // Declared public (deny by default applies to every other endpoint): starting a sign-in needs no session.
        var start = Assert.Single(host.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>(), e => e.RoutePattern.RawText == OidcSetup.StartPath);
        Assert.NotNull(start.Metadata.GetMetadata<IAllowAnonymous>());

        provider.User = new OidcTestProvider.TestUser("sub-a9", "ada", ["staff", "report-auditors"], ["544", "546"]);
        var (client, _, final) = await SignInAsync(host, SessionEndpoints.Path);
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        var me = JsonDocument.Parse(await final.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("auditor", me.GetProperty("role").GetString());
        Assert.Equal(["544", "546"], me.GetProperty("carriers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync("/api/v1/audit")).Status);
    }

    [Fact]
    public async Task SsoSession_EndsAtTheCookieLifetime_EvenWhenActive()
    {
        // No local account can be disabled for an SSO user, so the session must not slide: it ends SessionIdleTimeout
        // after sign-in however busy it is, while a password session slides on.
        // And a public client this time: no secret, the code bound to the browser by PKCE alone.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = await OidcTestProvider.StartAsync();
        provider.ConfidentialClient = false;
        await using var host = await StartAppAsync(provider, new() { ["Web:SessionIdleTimeout"] = "08:00:00", ["Auth:Oidc:ClientSecret"] = null },
            s => s.AddSingleton<TimeProvider>(clock));
        var password = await host.UserClientAsync(Role.Viewer);
        provider.User = new OidcTestProvider.TestUser("sub-t1", "tess", ["viewer"], null);
        var (sso, _, final) = await SignInAsync(host, SessionEndpoints.Path);
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal(1, provider.CodeExchanges);

        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(HttpStatusCode.OK, (await sso.GetJsonAsync(SessionEndpoints.Path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await password.GetJsonAsync(SessionEndpoints.Path)).Status);
        clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(HttpStatusCode.Unauthorized, (await sso.GetJsonAsync(SessionEndpoints.Path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await password.GetJsonAsync(SessionEndpoints.Path)).Status);
    }

    [Fact]
    public async Task UnreachableProvider_Answers503NamingTheSetting()
    {
        await using var host = await ApiHost.StartAsync(pg, new Dictionary<string, string?>
        {
            ["Auth:Oidc:Authority"] = "http://127.0.0.1:1/", // nothing listens on port 1
            ["Auth:Oidc:ClientId"] = OidcTestProvider.ClientId,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
        });
        var answer = await host.Anonymous().GetJsonAsync($"{OidcSetup.StartPath}?returnUrl=/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Contains("Auth:Oidc:Authority", answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedCallback_IsRefusedAndAudited()
    {
        await using var provider = await OidcTestProvider.StartAsync();
        await using var host = await StartAppAsync(provider);
        var client = host.Anonymous();
        using var response = await client.GetAsync($"{OidcSetup.CallbackPath}?code=stolen&state=forged");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, provider.CodeExchanges);
        var entries = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(), CancellationToken.None)).Entries;
        Assert.Contains(entries, e => e is { Action: "sign-in", AuthMethod: "oidc", Outcome: "failed" });
    }

    private async Task<ApiHost> StartAppAsync(OidcTestProvider provider, Dictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Oidc:Authority"] = provider.Authority.ToString(),
            ["Auth:Oidc:ClientId"] = OidcTestProvider.ClientId,
            ["Auth:Oidc:ClientSecret"] = OidcTestProvider.ClientSecret,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var host = await ApiHost.StartAsync(pg, settings, configure: configure);
        provider.RedirectUri = new Uri(host.BaseAddress, OidcSetup.CallbackPath).ToString();
        return host;
    }

    /// <summary>GET /signin/oidc and every redirect after it, by hand; returns the URLs visited and the last answer.</summary>
    internal static async Task<(HttpClient Client, List<Uri> Hops, HttpResponseMessage Final)> SignInAsync(ApiHost host, string returnUrl)
    {
        var client = host.Anonymous();
        var url = new Uri(host.BaseAddress, $"{OidcSetup.StartPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var hops = new List<Uri> { url };
        for (var i = 0; i < 10; i++)
        {
            var response = await client.GetAsync(url);
            if ((int)response.StatusCode is < 300 or >= 400)
            {
                if (url.AbsolutePath != OidcSetup.LandingPath || !response.IsSuccessStatusCode)
                {
                    return (client, hops, response);
                }

                // The landing page continues by a meta refresh (a same-site navigation in a browser): follow it.
                var html = await response.Content.ReadAsStringAsync();
                var refresh = System.Text.RegularExpressions.Regex.Match(html, "content=\"0;url=([^\"]+)\"");
                Assert.True(refresh.Success, html);
                url = new Uri(url, System.Net.WebUtility.HtmlDecode(refresh.Groups[1].Value));
                hops.Add(url);
                response.Dispose();
                continue;
            }

            url = new Uri(url, response.Headers.Location!);
            hops.Add(url);
            response.Dispose();
        }

        throw new InvalidOperationException("more than 10 redirects: " + string.Join(" -> ", hops));
    }
}
