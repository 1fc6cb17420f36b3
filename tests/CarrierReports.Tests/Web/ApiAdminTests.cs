using CarrierReports.Access;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CarrierReports.Identity;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Web;

/// <summary>Users, keys and the audit log over HTTP: who may call them, what they do, and that each change is audited.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiAdminTests(PostgresFixture pg)
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task RoleMatrix_AdminAndAuditEndpoints_401Anonymous_403WrongRole()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var expected = new Dictionary<string, Dictionary<Role, HttpStatusCode>>
        {
            ["/api/v1/users"] = new() { [Role.Viewer] = HttpStatusCode.Forbidden, [Role.Operator] = HttpStatusCode.Forbidden, [Role.Auditor] = HttpStatusCode.Forbidden, [Role.Admin] = HttpStatusCode.OK },
            ["/api/v1/keys"] = new() { [Role.Viewer] = HttpStatusCode.Forbidden, [Role.Operator] = HttpStatusCode.Forbidden, [Role.Auditor] = HttpStatusCode.Forbidden, [Role.Admin] = HttpStatusCode.OK },
            ["/api/v1/audit"] = new() { [Role.Viewer] = HttpStatusCode.Forbidden, [Role.Operator] = HttpStatusCode.Forbidden, [Role.Auditor] = HttpStatusCode.OK, [Role.Admin] = HttpStatusCode.OK },
            ["/api/v1/audit/export"] = new() { [Role.Viewer] = HttpStatusCode.Forbidden, [Role.Operator] = HttpStatusCode.Forbidden, [Role.Auditor] = HttpStatusCode.OK, [Role.Admin] = HttpStatusCode.OK },
        };
        var clients = new Dictionary<Role, HttpClient[]>();
        foreach (var role in new[] { Role.Viewer, Role.Operator, Role.Auditor, Role.Admin })
        {
            clients[role] = [await host.UserClientAsync(role), await host.KeyClientAsync(role)];
        }

        foreach (var (path, byRole) in expected)
        {
            await ApiAuthTests.AssertProblemAsync(await host.Anonymous().GetAsync(U(path)), HttpStatusCode.Unauthorized);
            foreach (var (role, status) in byRole)
            {
                foreach (var client in clients[role])
                {
                    using var response = await client.GetAsync(U(path));
                    Assert.True(status == response.StatusCode, $"{role} GET {path}: {(int)response.StatusCode}");
                    if (status == HttpStatusCode.Forbidden)
                    {
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    }
                }
            }
        }

        // A write by a wrong role is refused before it does anything.
        using var byOperator = await clients[Role.Operator][0].PostAsJsonAsync("/api/v1/users", new { name = "mallory", role = "admin" });
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Null(await host.Get<UserStore>().FindAsync("mallory", CancellationToken.None));
    }

    [Fact]
    public async Task UserLifecycle_OverHttp_OneTimePassword_Disable_Enable_Reset_AllAudited()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var admin = await host.UserClientAsync(Role.Admin);

        var bad = await ApiAuthTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/users", new { name = "sam", role = "boss" }), HttpStatusCode.BadRequest);
        Assert.Equal("'boss' is not a role; use viewer, operator, auditor or admin", bad.GetProperty("errors").GetProperty("role")[0].GetString());

        using var created = await admin.PostAsJsonAsync("/api/v1/users", new { name = "sam", role = "viewer", carriers = "544" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var oneTime = body.GetProperty("oneTimePassword").GetString()!;
        Assert.True(body.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        await ApiAuthTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/users", new { name = "SAM", role = "viewer" }), HttpStatusCode.BadRequest);

        var sam = await host.SignInAsync("sam", oneTime);
        Assert.True((await sam.GetFromJsonAsync<JsonElement>(SessionPath)).GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(U("/api/v1/users/sam/disable"), null)).StatusCode);
        await ApiAuthTests.AssertProblemAsync(await sam.GetAsync(U(SessionPath)), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(U("/api/v1/users/sam/enable"), null)).StatusCode);

        var reset = await (await admin.PostAsync(U("/api/v1/users/sam/reset-password"), null)).Content.ReadFromJsonAsync<JsonElement>();
        var second = reset.GetProperty("oneTimePassword").GetString()!;
        Assert.NotEqual(oneTime, second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous().PostAsJsonAsync(SessionPath, new { user = "sam", password = oneTime })).StatusCode);
        await host.SignInAsync("sam", second);
        await ApiAuthTests.AssertProblemAsync(await admin.PostAsync(U("/api/v1/users/nobody/disable"), null), HttpStatusCode.NotFound);

        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.Contains(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "sam" && u.GetProperty("carriers")[0].GetString() == "544");

        var auditor = await host.UserClientAsync(Role.Auditor);
        var audit = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=users.*");
        var rows = audit.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("target").GetString()} by {e.GetProperty("actor").GetString()} ({e.GetProperty("authMethod").GetString()}) from {e.GetProperty("clientAddress").GetString()}").ToList();
        Assert.Equal(["users.reset-password sam by admin1 (password) from 127.0.0.1", "users.enable sam by admin1 (password) from 127.0.0.1",
            "users.disable sam by admin1 (password) from 127.0.0.1", "users.add sam by admin1 (password) from 127.0.0.1"], rows);
        Assert.DoesNotContain(oneTime, audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyLifecycle_OverHttp_Create_Use_Expire_Revoke()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var admin = await host.KeyClientAsync(Role.Admin);

        var created = await (await admin.PostAsJsonAsync("/api/v1/keys", new { name = "billing export", role = "viewer", carriers = "544,545" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("key").GetProperty("id").GetString()!;
        var soon = DateTimeOffset.UtcNow.AddSeconds(2);
        var shortLived = (await (await admin.PostAsJsonAsync("/api/v1/keys", new { name = "short", role = "viewer", expiresAt = soon })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var keyed = host.KeyClient(token);
        Assert.Equal("billing export", (await keyed.GetFromJsonAsync<JsonElement>(SessionPath)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.KeyClient(shortLived).GetAsync(U(SessionPath))).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");
        var row = listed.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("active", row.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("lastUsedAt").ValueKind);
        Assert.DoesNotContain(token[^64..], listed.GetRawText(), StringComparison.Ordinal);

        await Task.Delay(soon - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        using var expired = await host.KeyClient(shortLived).GetAsync(U(SessionPath));
        Assert.Contains("expired", expired.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ApiAuthTests.AssertProblemAsync(expired, HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(U($"/api/v1/keys/{id}/revoke"), null)).StatusCode);
        using var revoked = await keyed.GetAsync(U(SessionPath));
        Assert.Contains("revoked", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ApiAuthTests.AssertProblemAsync(revoked, HttpStatusCode.Unauthorized);
        await ApiAuthTests.AssertProblemAsync(await admin.PostAsync(U("/api/v1/keys/0000000000000000/revoke"), null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AuditLog_Pages_ExportsCsv_AndVerifyFindsAnEditedRow()
    {
        await using var host = await ApiHost.StartAsync(pg);
        for (var i = 0; i < 5; i++)
        {
            await host.Anonymous().PostAsJsonAsync(SessionPath, new { user = $"ghost{i}", password = "not a password" });
        }

        var auditor = await host.KeyClientAsync(Role.Auditor);
        var first = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=sign-in&limit=3");
        Assert.Equal(["ghost4", "ghost3", "ghost2"], first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("actor").GetString()));
        var next = first.GetProperty("next").GetInt64();
        var second = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=sign-in&limit=3&after={next}");
        Assert.Equal(["ghost1", "ghost0"], second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        var tooMany = await ApiAuthTests.AssertProblemAsync(await auditor.GetAsync(U("/api/v1/audit?limit=5000")), HttpStatusCode.BadRequest);
        Assert.Equal("5000 is not between 1 and 1000", tooMany.GetProperty("errors").GetProperty("limit")[0].GetString());

        using var export = await auditor.GetAsync(U("/api/v1/audit/export?action=sign-in"));
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var csv = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, csv.Length);
        Assert.StartsWith("id,time,actor", csv[0], StringComparison.Ordinal);
        var exports = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=audit.export");
        Assert.Equal("auditor key", exports.GetProperty("entries")[0].GetProperty("actor").GetString());

        var intact = await (await auditor.PostAsync(U("/api/v1/audit/verify"), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(intact.GetProperty("intact").GetBoolean());

        await using (var connection = await host.Get<ServiceDatabase>().OpenAsync(CancellationToken.None))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE cr_audit SET actor = 'someone-else' WHERE id = 3";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        var broken = await (await auditor.PostAsync(U("/api/v1/audit/verify"), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(3, broken.GetProperty("firstBadId").GetInt64());
    }

    private const string SessionPath = CarrierReports.Web.Auth.SessionEndpoints.Path;
}
