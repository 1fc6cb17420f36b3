using CarrierReports.Access;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Web.Auth;

namespace CarrierReports.Tests.Web;

/// <summary>Sign-in by cookie and by key over real Kestrel: sessions, antiforgery, lockout, rate limit, audit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiAuthTests(PostgresFixture pg)
{
    private const string Session = SessionEndpoints.Path;

    [Fact]
    public async Task CookieSession_SignIn_WhoAmI_CsrfRequiredForChanges_SignOutEndsIt()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var anonymous = host.Anonymous();
        await AssertProblemAsync(await anonymous.GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);

        await host.CreateUserAsync(Role.Operator, CarrierScope.Of(["544", "545"]), "olga");
        using var signIn = await anonymous.PostAsJsonAsync(Session, new { user = "OLGA", password = ApiHost.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSchemes.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await anonymous.GetFromJsonAsync<JsonElement>(Session);
        Assert.Equal("olga", me.GetProperty("name").GetString());
        Assert.Equal("operator", me.GetProperty("role").GetString());
        Assert.Equal("544,545", string.Join(',', me.GetProperty("carriers").EnumerateArray().Select(c => c.GetString())));

        // A change by a cookie session without the antiforgery token (what a cross-site request would be): refused.
        var problem = await AssertProblemAsync(await anonymous.DeleteAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.BadRequest);
        Assert.Contains(AuthSchemes.AntiforgeryHeader, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var wrongToken = new HttpRequestMessage(HttpMethod.Delete, Session);
        wrongToken.Headers.Add(AuthSchemes.AntiforgeryHeader, "not-the-token");
        await AssertProblemAsync(await anonymous.SendAsync(wrongToken), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(Session, UriKind.Relative))).StatusCode);

        var token = await anonymous.GetFromJsonAsync<SessionEndpoints.AntiforgeryToken>(SessionEndpoints.AntiforgeryPath);
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, Session);
        signOut.Headers.Add(AuthSchemes.AntiforgeryHeader, token!.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.SendAsync(signOut)).StatusCode);
        await AssertProblemAsync(await anonymous.GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FailedSignIns_SameAnswerForUnknownUserAndWrongPassword_LockoutAfterN_AllAudited()
    {
        await using var host = await ApiHost.StartAsync(pg, new Dictionary<string, string?> { ["Identity:MaxFailedAttempts"] = "3" });
        await host.CreateUserAsync(Role.Viewer, name: "vera");
        var client = host.Anonymous();

        var unknown = await AssertProblemAsync(await client.PostAsJsonAsync(Session, new { user = "nobody", password = "whatever-it-is" }), HttpStatusCode.Unauthorized);
        var wrong = await AssertProblemAsync(await client.PostAsJsonAsync(Session, new { user = "vera", password = "wrong password!" }), HttpStatusCode.Unauthorized);
        Assert.Equal(SessionEndpoints.FailedMessage, unknown.GetProperty("detail").GetString());
        Assert.Equal(unknown.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());

        await client.PostAsJsonAsync(Session, new { user = "vera", password = "wrong password!" });
        var locked = await AssertProblemAsync(await client.PostAsJsonAsync(Session, new { user = "vera", password = "wrong password!" }), HttpStatusCode.Unauthorized);
        Assert.Equal(SessionEndpoints.LockedMessage, locked.GetProperty("detail").GetString());

        // Locked: even the right password fails now.
        var right = await AssertProblemAsync(await client.PostAsJsonAsync(Session, new { user = "vera", password = ApiHost.Password }), HttpStatusCode.Unauthorized);
        Assert.Equal(SessionEndpoints.LockedMessage, right.GetProperty("detail").GetString());

        var missing = await AssertProblemAsync(await client.PostAsJsonAsync(Session, new { user = "vera" }), HttpStatusCode.BadRequest);
        Assert.Equal("is required", missing.GetProperty("errors").GetProperty("password")[0].GetString());
        await AssertProblemAsync(await client.PostAsync(new Uri(Session, UriKind.Relative), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);

        var page = await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: SignInAudit.SignInAction), CancellationToken.None);
        Assert.Equal(
            ["nobody unknown-user", "vera wrong-password", "vera wrong-password", "vera locked-out", "vera locked-out"],
            page.Entries.Select(e => $"{e.Actor} {e.Outcome}"));
        Assert.All(page.Entries, e => Assert.Equal("127.0.0.1", e.ClientAddress));
    }

    [Fact]
    public async Task SignIn_IsRateLimitedPerClient_With429()
    {
        await using var host = await ApiHost.StartAsync(pg, new Dictionary<string, string?> { ["Web:SignInPermitsPerMinute"] = "3" });
        await host.CreateUserAsync(Role.Viewer, name: "rita");
        var client = host.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(Session, new { user = "rita", password = "not it, " + i })).StatusCode);
        }

        using var limited = await client.PostAsJsonAsync(Session, new { user = "rita", password = ApiHost.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task DisablingAUser_OrResettingThePassword_EndsTheSessionOnTheNextRequest()
    {
        await using var host = await ApiHost.StartAsync(pg);
        await host.CreateUserAsync(Role.Auditor, name: "dora");
        await host.CreateUserAsync(Role.Auditor, name: "paul");
        var dora = await host.SignInAsync("dora");
        var paul = await host.SignInAsync("paul");
        Assert.Equal(HttpStatusCode.OK, (await dora.GetAsync(new Uri(Session, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await paul.GetAsync(new Uri(Session, UriKind.Relative))).StatusCode);

        await host.Get<UserStore>().DisableAsync("dora", CancellationToken.None);
        await host.Get<UserStore>().SetPasswordAsync("paul", "a brand new password", CancellationToken.None);
        await AssertProblemAsync(await dora.GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await paul.GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await (await host.SignInAsync("paul", "a brand new password")).GetAsync(new Uri(Session, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ApiKey_Works_NeedsNoCsrf_BadKeysAre401AndAudited()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var key = await host.CreateKeyAsync(Role.Auditor, CarrierScope.Of(["544"]));
        var keyed = host.KeyClient(key.Token);
        var me = await keyed.GetFromJsonAsync<JsonElement>(Session);
        Assert.Equal("auditor", me.GetProperty("role").GetString());
        Assert.Equal("api-key", me.GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await keyed.DeleteAsync(new Uri(Session, UriKind.Relative))).StatusCode);

        var forged = key.Token[..^4] + "0000";
        using var rejected = await host.KeyClient(forged).GetAsync(new Uri(Session, UriKind.Relative));
        await AssertProblemAsync(rejected, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", rejected.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertProblemAsync(await host.KeyClient("crk_garbage").GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);

        var audit = await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: SignInAudit.KeyRejectedAction), CancellationToken.None);
        Assert.Equal(["wrong-secret", "malformed-key"], audit.Entries.Select(e => e.Outcome));
        Assert.Equal(key.Key.Id, audit.Entries[0].Target);
    }

    [Fact]
    public async Task ChangingOnesPassword_KeepsThisSessionAndItsToken_EndsTheOthers()
    {
        await using var host = await ApiHost.StartAsync(pg);
        await host.CreateUserAsync(Role.Viewer, name: "cleo");
        var here = await host.SignInAsync("cleo");
        var elsewhere = await host.SignInAsync("cleo");

        var wrong = await AssertProblemAsync(await here.PostAsJsonAsync(Session + "/password", new { currentPassword = "not it at all", newPassword = "the new password!" }), HttpStatusCode.Unauthorized);
        Assert.Equal("currentPassword: is not your current password", wrong.GetProperty("detail").GetString());
        var tooShort = await AssertProblemAsync(await here.PostAsJsonAsync(Session + "/password", new { currentPassword = ApiHost.Password, newPassword = "short" }), HttpStatusCode.BadRequest);
        Assert.Contains("at least 12", tooShort.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync(Session + "/password", new { currentPassword = ApiHost.Password, newPassword = "the new password!" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(new Uri(Session, UriKind.Relative))).StatusCode);
        await AssertProblemAsync(await elsewhere.GetAsync(new Uri(Session, UriKind.Relative)), HttpStatusCode.Unauthorized);
        await host.SignInAsync("cleo", "the new password!");
        Assert.Equal(HttpStatusCode.NoContent, (await here.DeleteAsync(new Uri(Session, UriKind.Relative))).StatusCode);

        var audit = await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "users.change-password"), CancellationToken.None);
        Assert.Equal(["wrong-password", "success"], audit.Entries.Select(e => e.Outcome));
        Assert.DoesNotContain(audit.Entries, e => (e.After ?? "").Contains("new password", StringComparison.Ordinal));
    }

    /// <summary>Asserts the status and that the body is RFC 9457 problem details with that status.</summary>
    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        response.Dispose();
        return problem;
    }
}
