using System.Net;
using CarrierReports.Access;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static CarrierReports.Tests.Api.ApiTestCalls;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>The recipients lookup: every subscription an address receives, and a replacement everywhere after a confirmation listing each change.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RecipientsPageTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Operator_LooksUpAnAddress_AndReplacesItEverywhere_AfterConfirming()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        var ops = await site.Host.KeyClientAsync(Role.Admin);
        foreach (var (id, carrier) in new[] { ("daily-1", "1"), ("weekly-1", "1"), ("daily-2", "2") })
        {
            Assert.Equal(HttpStatusCode.Created, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", Definition(id, carrier, "leaver@example.com", "boss@example.com"))).Status);
        }

        var page = await site.SignedInPageAsync(Role.Operator, CarrierScope.Of(["1"]));
        await page.GotoAsync("/recipients");
        await Expect(page.GetByText("Enter an address to start")).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "recipients-empty");
        await page.GetByLabel("E-mail address").FillAsync("Leaver@Example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        var rows = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row);
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "daily-2" })).ToHaveCountAsync(0);

        await page.GetByLabel("Replace by").FillAsync("new.noc@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replace…" }).ClickAsync();
        var confirm = page.Locator("form.confirm");
        await Expect(confirm).ToContainTextAsync("daily-1 (carrier 1), to: leaver@example.com → new.noc@example.com");
        await Expect(confirm).ToContainTextAsync("weekly-1 (carrier 1), to: leaver@example.com → new.noc@example.com");
        await site.CheckPageAsync(page, "recipients-confirm");

        // Someone saves weekly-1 after the confirmation was shown: nothing changes, and the page says why.
        var weekly = await ops.GetJsonAsync("/api/v1/subscriptions/weekly-1");
        var edited = Definition("weekly-1", "1", "leaver@example.com", "boss@example.com");
        edited.Recipients.Cc = ["cc@example.com"];
        Assert.Equal(HttpStatusCode.OK, (await ops.SendAsync(HttpMethod.Put, "/api/v1/subscriptions/weekly-1", edited, weekly.ETag)).Status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, replace everywhere" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was changed");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("weekly-1");
        Assert.Contains("leaver@example.com", (await site.Host.Get<SubscriptionStore>().FindAsync("daily-1", CarrierScope.All, CancellationToken.None))!.Subscription.Definition.Recipients.To);
        await site.CheckPageAsync(page, "recipients-stale");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replace…" }).ClickAsync();
        await Expect(confirm).ToContainTextAsync("weekly-1 (carrier 1), to: leaver@example.com → new.noc@example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, replace everywhere" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Replaced leaver@example.com by new.noc@example.com in 2 subscription(s)");
        await Expect(page.GetByLabel("E-mail address")).ToHaveValueAsync("new.noc@example.com");
        await site.CheckPageAsync(page, "recipients-replaced");

        var store = site.Host.Get<SubscriptionStore>();
        var daily1 = await store.FindAsync("daily-1", CarrierScope.All, CancellationToken.None);
        var daily2 = await store.FindAsync("daily-2", CarrierScope.All, CancellationToken.None);
        Assert.Equal(["new.noc@example.com", "boss@example.com"], daily1!.Subscription.Definition.Recipients.To);
        Assert.Contains("leaver@example.com", daily2!.Subscription.Definition.Recipients.To);
        site.AssertNoBrowserErrors();
    }
}
