using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>Issue 11, journey 4: an admin creates a user and an API key, revokes the key, disables a user whose open session then ends.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AdminJourneyTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_CreatesUserAndKey_RevokesTheKey_DisablesAUserWhoseSessionEnds()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var adminUser = await site.Host.CreateUserAsync(Role.Admin);
        var admin = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(admin, adminUser.Name);

        // Someone else is signed in, in another browser.
        var clerk = await site.Host.CreateUserAsync(Role.Operator, CarrierScope.Of(["1"]), "clerk");
        var clerkPage = await site.NewPageAsync(await site.NewContextAsync());
        await ConsoleSite.SignInAsync(clerkPage, clerk.Name);
        await clerkPage.GotoAsync("/runs");
        await Expect(clerkPage.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();

        // Create a user: a field error first, then the one-time password, shown once.
        await admin.GotoAsync("/admin/users");
        await site.CheckPageAsync(admin, "admin-users");
        await admin.GetByLabel("User name").FillAsync("manager.anna");
        await admin.GetByLabel("Role").SelectOptionAsync("viewer");
        await admin.GetByLabel("Carriers").FillAsync("1,,2");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(admin.Locator(".field-error").Filter(new() { HasText = "empty carrier" })).ToBeVisibleAsync();
        await admin.GetByLabel("Carriers").FillAsync("1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("One-time password for manager.anna");
        var oneTime = await admin.GetByLabel("Password", new() { Exact = true }).InputValueAsync();
        Assert.Equal(24, oneTime.Length);
        await site.CheckPageAsync(admin, "admin-users-created");
        var anna = await site.Host.Get<UserStore>().FindAsync("manager.anna", CancellationToken.None);
        Assert.NotNull(anna);
        Assert.Equal((Role.Viewer, "1", true), (anna.Role, anna.Scope.ToString(), anna.MustChangePassword));
        await admin.ReloadAsync();
        await Expect(admin.GetByText(oneTime)).ToHaveCountAsync(0);

        // Create an API key; it works until it is revoked.
        await admin.GotoAsync("/admin/keys");
        await Expect(admin.GetByText("No API keys yet")).ToBeVisibleAsync();
        await admin.GetByLabel("What it is for").FillAsync("monitoring");
        await admin.GetByLabel("Role").SelectOptionAsync("viewer");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("shown only now");
        var token = await admin.GetByLabel("Key", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith(ApiKey.Prefix, token, StringComparison.Ordinal);
        await site.CheckPageAsync(admin, "admin-keys-created");
        var client = site.Host.KeyClient(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);
        // Revoking asks first and says what happens; until "Yes" the key still works.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Revoke… monitoring" }).ClickAsync();
        var revoke = admin.GetByRole(AriaRole.Region, new() { Name = "Revoke the key monitoring?" });
        await Expect(revoke).ToContainTextAsync("401 Unauthorized");
        await Expect(revoke).ToContainTextAsync("cannot be turned back on");
        await site.CheckPageAsync(admin, "admin-keys-confirm-revoke");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);
        await revoke.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Region, new() { Name = "Revoke the key monitoring?" })).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/runs")).StatusCode);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Revoke… monitoring" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, revoke monitoring" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        await Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "monitoring" })).ToContainTextAsync("revoked");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/runs")).StatusCode);
        await site.CheckPageAsync(admin, "admin-keys");

        // Disable the signed-in clerk: their next request finds the session ended.
        await admin.GotoAsync("/admin/users");
        // Disabling asks first and says what happens; until "Yes" the clerk stays signed in.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Disable… clerk" }).ClickAsync();
        var disable = admin.GetByRole(AriaRole.Region, new() { Name = "Disable clerk?" });
        await Expect(disable).ToContainTextAsync("signed out at once");
        await Expect(disable).ToContainTextAsync("until an admin enables them");
        await site.CheckPageAsync(admin, "admin-users-confirm-disable");
        await clerkPage.ReloadAsync();
        await Expect(clerkPage.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, disable clerk" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("User clerk disabled");
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Enable clerk" })).ToBeVisibleAsync();
        await clerkPage.GotoAsync("/runs");
        await Expect(clerkPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));

        var audit = (await site.Host.Get<AuditSearch>().QueryAsync(new AuditFilter(Actor: adminUser.Name), CancellationToken.None)).Entries;
        Assert.Equal(["users.add", "keys.create", "keys.revoke", "users.disable"],
            audit.Select(e => e.Action).Where(a => a.StartsWith("users.", StringComparison.Ordinal) || a.StartsWith("keys.", StringComparison.Ordinal)));
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task NonAdmins_AreNotOffered_AndRefused_TheAdminPages()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var auditor = await site.SignedInPageAsync(Role.Auditor);
        await Expect(auditor.GetByRole(AriaRole.Link, new() { Name = "Users & keys" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await auditor.Context.APIRequest.GetAsync("/admin/users")).Status);
        Assert.Equal(403, (await auditor.Context.APIRequest.GetAsync("/admin/keys")).Status);
        var viewer = await site.SignedInPageAsync(Role.Viewer);
        Assert.Equal(403, (await viewer.Context.APIRequest.GetAsync("/recipients")).Status);
        Assert.Equal(403, (await viewer.Context.APIRequest.GetAsync("/audit")).Status);
        Assert.Equal(403, (await viewer.Context.APIRequest.GetAsync("/archive")).Status);
    }
}
