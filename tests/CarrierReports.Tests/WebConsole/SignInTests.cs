using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using CarrierReports.Tests.WebConsole.Support;
using CarrierReports.Web.Auth;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>Signing in to the console in a real browser: errors that give nothing away, the way back to the page asked for, keyboard only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SignInTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PageRequestWithoutSession_RedirectsToSignIn_WrongPasswordShowsError_RightOneOpensTheOverview()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var user = await site.Host.CreateUserAsync(Role.Operator);
        var page = await site.NewPageAsync();

        await page.GotoAsync("/?since=today");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl=%2F%3Fsince%3Dtoday$"));
        await site.CheckPageAsync(page, "signin");

        await page.GetByLabel("User name").FillAsync(user.Name);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(SessionEndpoints.FailedMessage);
        await Expect(page.GetByLabel("Password")).ToBeEmptyAsync();
        await site.CheckPageAsync(page, "signin-error");

        // An unknown name reads exactly the same.
        await page.GetByLabel("User name").FillAsync("nobody-" + user.Name);
        await page.GetByLabel("Password").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(SessionEndpoints.FailedMessage);

        await ConsoleSite.SignInAsync(page, user.Name);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/\\?since=today$"));

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link))
            .ToHaveTextAsync(["Overview", "Reports", "Subscriptions", "Runs", "Recipients"]);
        await site.CheckPageAsync(page, "overview-operator");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task LockedAccount_SaysSo_AndApiStillAnswers401()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser, new Dictionary<string, string?> { ["Identity:MaxFailedAttempts"] = "2" });
        var user = await site.Host.CreateUserAsync(Role.Viewer);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/signin");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await page.GetByLabel("User name").FillAsync(user.Name);
            await page.GetByLabel("Password").FillAsync("wrong");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }

        await page.GetByLabel("User name").FillAsync(user.Name);
        await page.GetByLabel("Password").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(SessionEndpoints.LockedMessage);

        // The API under the same cookie jar still answers 401, not a redirect.
        var api = await page.Context.APIRequest.GetAsync("/api/v1/session", new() { MaxRedirects = 0 });
        Assert.Equal(401, api.Status);
        await api.DisposeAsync();
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task KeyboardOnly_SignIn_ReachesTheOverview()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var user = await site.Host.CreateUserAsync(Role.Admin);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/signin");

        // The user name field has focus on arrival; Tab to the password, Enter submits.
        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(user.Name);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ApiHost.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

        // First Tab stop is the skip link, which moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link)).ToHaveCountAsync(8);
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task OneTimePassword_LeadsToChangePassword_WithFieldErrors_ThenTheOverview()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var added = await site.Host.Get<CarrierReports.Identity.UserStore>().AddAsync("alice", Role.Operator, CarrierScope.All, null, CancellationToken.None);
        var page = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(page, "alice", added.OneTimePassword!);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password\\?first=true&returnUrl=%2F$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("one-time password");

        await page.GetByLabel("Current password").FillAsync(added.OneTimePassword!);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await page.GetByLabel("New password again").FillAsync("different");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.Locator("#ConfirmPassword-error")).ToHaveTextAsync("does not match the new password");
        await site.CheckPageAsync(page, "password-error");

        await page.GetByLabel("Current password").FillAsync(added.OneTimePassword!);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await page.GetByLabel("New password again").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.Locator("#NewPassword-error")).ToContainTextAsync("at least 12 are required");

        await page.GetByLabel("Current password").FillAsync(added.OneTimePassword!);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(ApiHost.Password);
        await page.GetByLabel("New password again").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your password has been changed; your other sessions have ended.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        Assert.False((await site.Host.Get<CarrierReports.Identity.UserStore>().FindAsync("alice", CancellationToken.None))!.MustChangePassword);
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task OneTimePassword_OtherPagesByUrl_StayOnThePasswordForm_UntilChanged_ThenOpen()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var added = await site.Host.Get<CarrierReports.Identity.UserStore>().AddAsync("alice", Role.Operator, CarrierScope.All, null, CancellationToken.None);
        var page = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(page, "alice", added.OneTimePassword!);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password\\?first=true"));

        // A new user typing another address instead of choosing a password is sent back, and on to that page after.
        await page.GotoAsync("/runs?status=failed");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password\\?first=true&returnUrl=%2Fruns%3Fstatus%3Dfailed$"));
        await page.GotoAsync("/subscriptions/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();

        await page.GetByLabel("Current password").FillAsync(added.OneTimePassword!);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(ApiHost.Password);
        await page.GetByLabel("New password again").FillAsync(ApiHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/subscriptions/new$"));
        await page.GotoAsync("/runs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();
        site.AssertNoBrowserErrors();
    }
}
