using CarrierReports.Audit;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using CarrierReports.Web.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// "Sign in with SSO" in a real browser, with the provider on another site than the console (localhost against
/// 127.0.0.1), as it always is in production: the SameSite=Strict session cookie written by the callback must reach
/// the page the user asked for.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SsoSignInTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SsoButton_SignsInThroughTheProvider_AndLandsOnThePageAskedFor()
    {
        await using var provider = await OidcTestProvider.StartAsync();
        var crossSite = new UriBuilder(provider.Authority) { Host = "localhost" }.Uri;
        await using var site = await ConsoleSite.StartAsync(pg, browser, new Dictionary<string, string?>
        {
            ["Auth:Oidc:Authority"] = crossSite.ToString(),
            ["Auth:Oidc:ClientId"] = OidcTestProvider.ClientId,
            ["Auth:Oidc:ClientSecret"] = OidcTestProvider.ClientSecret,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
        });
        provider.RedirectUri = new Uri(site.Host.BaseAddress, OidcSetup.CallbackPath).ToString();
        provider.User = new OidcTestProvider.TestUser("sub-sso-1", "sofia", ["viewer"], ["544"]);

        var page = await site.NewPageAsync();
        await page.GotoAsync("/runs");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl=%2Fruns$"));
        // The first page of a new host can take long on a loaded machine: the click waits for the whole chain.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with SSO" }).ClickAsync(new() { Timeout = 60_000 });

        // Through the provider (another site) and back: signed in on the page asked for, not sent to the form again.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs$"), new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("sofia")).ToBeVisibleAsync();
        Assert.Single(provider.AuthorizeRequests);

        var entries = (await site.Host.Get<AuditSearch>().QueryAsync(new AuditFilter(), CancellationToken.None)).Entries;
        Assert.Contains(entries, e => e is { Action: "sign-in", AuthMethod: "oidc", AuthId: "sub-sso-1", Outcome: "success" });
        site.AssertNoBrowserErrors();
    }
}
