using CarrierReports.Access;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>The overview in a real browser: today's runs, failing subscriptions and next fires within the user's carriers, each linking to its list; the health panel loaded by htmx.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OverviewPageTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly SubscriptionActor Ops = new(new Actor("olga", Role.Operator, CarrierScope.All, AuthMethod.Password, null), "127.0.0.1");

    [Fact]
    public async Task ScopedViewer_SeesOnlyTheirCarriersFigures_EachLinkingToItsList_AndHealthLoadsAfterThePage()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var store = site.Host.Get<SubscriptionStore>();
        await store.CreateAsync(ApiTestCalls.Definition("daily-1", "1"), Ops, CancellationToken.None);
        await store.CreateAsync(ApiTestCalls.Definition("daily-2", "2"), Ops, CancellationToken.None);
        await RunAsync(site, "daily-1", RunStatus.Succeeded, null);
        var failed = await RunAsync(site, "daily-1", RunStatus.Failed, "SMTP 554 rejected");
        await RunAsync(site, "daily-2", RunStatus.Failed, "carrier 2 failure");

        var page = await site.SignedInPageAsync(Role.Viewer, CarrierScope.Of(["1"]));
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var succeededCard = page.GetByRole(AriaRole.Link, new() { Name = "succeeded 1 runs succeeded today" });
        await Expect(succeededCard).ToHaveAttributeAsync("href", $"/runs?status=succeeded&since={today}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "failed 1 runs failed today" })).ToHaveAttributeAsync("href", $"/runs?status=failed&since={today}");

        var failing = page.Locator("section[aria-labelledby=failing-title]");
        await Expect(failing.GetByRole(AriaRole.Link, new() { Name = "daily-1" })).ToHaveAttributeAsync("href", "/subscriptions/daily-1");
        await Expect(failing.GetByRole(AriaRole.Link).Nth(1)).ToHaveAttributeAsync("href", $"/runs/{failed.RunId}");
        await Expect(failing).Not.ToContainTextAsync("daily-2");
        await Expect(failing).Not.ToContainTextAsync("carrier 2 failure");

        var next = page.Locator("section[aria-labelledby=next-title]");
        await Expect(next.GetByRole(AriaRole.Link, new() { Name = "daily-1" })).ToBeVisibleAsync();
        await Expect(next).ToContainTextAsync("Europe/Berlin");
        await Expect(next).Not.ToContainTextAsync("daily-2");

        // htmx replaced the placeholder with the health panel; the scoped viewer gets the verdict, not the checks that name other carriers' subscriptions.
        var health = page.Locator("#health");
        await Expect(health.GetByText("Checking…")).ToHaveCountAsync(0);
        await Expect(health).ToContainTextAsync("healthy", new() { IgnoreCase = true });
        await Expect(health.Locator("ul.checks")).ToHaveCountAsync(0);
        await site.CheckPageAsync(page, "overview-viewer");

        // Without JavaScript the same panel is one link away.
        var noScript = await page.Context.APIRequest.GetAsync("/?health=show");
        Assert.Contains("Cluster and health", await noScript.TextAsync(), StringComparison.Ordinal);
        await noScript.DisposeAsync();

        var admin = await site.SignedInPageAsync(Role.Admin);
        await Expect(admin.Locator("#health ul.checks li").First).ToBeVisibleAsync();
        await Expect(admin.Locator("section[aria-labelledby=failing-title]")).ToContainTextAsync("daily-2");
        await site.CheckPageAsync(admin, "overview-admin");
    }

    [Fact]
    public async Task EmptyService_SaysWhatToDo()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var page = await site.SignedInPageAsync(Role.Operator);
        await Expect(page.GetByText("Nothing is failing")).ToBeVisibleAsync();
        await Expect(page.GetByText("No enabled subscription yet: create or enable one under Subscriptions.")).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "overview-empty");
    }

    private static async Task<RunRecord> RunAsync(ConsoleSite site, string subscription, RunStatus status, string? error)
    {
        var ledger = site.Host.Get<RunLedger>();
        var at = TimeProvider.System.GetUtcNow();
        var run = await ledger.BeginAsync(new RunStart(subscription, at.AddDays(-1), at, "UTC", "previous-day", at, "node-a", RunTrigger.Schedule, 1), CancellationToken.None);
        await ledger.CompleteAsync(run.RunId, status, error, null, 10, 100, CancellationToken.None);
        return run;
    }
}
