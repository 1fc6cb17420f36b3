using CarrierReports.Access;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// What each role sees of subscriptions: a viewer reads only its carriers' subscriptions, without addresses and
/// without edit controls; a subscription written in a file is read-only with its file named; issue 11 journey 5's
/// keyboard-only edit (Tab, Enter and Space only, focus visible).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionsAccessTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Viewer_SeesOwnCarriersOnly_WithoutAddressesOrEditControls_FileSubscriptionIsReadOnly()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        await OperatorMailApiTests.CreateSubscriptionAsync(site.Host, "daily-1");
        var ops = await site.Host.KeyClientAsync(Role.Operator);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await ops.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", ApiTestCalls.Definition("other-2", "2", "x@example.com"))).Status);
        Directory.CreateDirectory(site.Host.Dir.PathOf("subscriptions"));
        var file = ApiTestCalls.Definition("from-file", "1", "file@example.com");
        await File.WriteAllTextAsync(Path.Combine(site.Host.Dir.PathOf("subscriptions"), "from-file.json"),
            System.Text.Json.JsonSerializer.Serialize(file, CarrierReports.Subscriptions.SubscriptionCatalog.Json));

        var viewer = await site.SignedInPageAsync(Role.Viewer, CarrierScope.Of(["1"]));
        await viewer.GotoAsync("/subscriptions");
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "daily-1" })).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "from-file" })).ToBeVisibleAsync();
        await Expect(viewer.GetByText("other-2")).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "New subscription" })).ToHaveCountAsync(0);
        await site.CheckPageAsync(viewer, "subscriptions-viewer");

        await viewer.GotoAsync("/subscriptions?source=file");
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "from-file" })).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "daily-1" })).ToHaveCountAsync(0);
        await viewer.GotoAsync("/subscriptions?q=nothing-like-this");
        await Expect(viewer.GetByText("No subscription matches these filters")).ToBeVisibleAsync();

        await viewer.GotoAsync("/subscriptions/daily-1");
        await Expect(viewer.GetByText("1 To, 0 Cc, 0 Bcc").First).ToBeVisibleAsync();
        await Expect(viewer.GetByText("noc@example.com")).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Button)).ToHaveTextAsync(["Sign out"]);
        await site.CheckPageAsync(viewer, "subscription-viewer");
        var outside = await viewer.Context.APIRequest.GetAsync("/subscriptions/other-2");
        Assert.Equal(404, outside.Status);

        var op = await site.SignedInPageAsync(Role.Operator);
        await op.GotoAsync("/subscriptions/from-file");
        await Expect(op.GetByRole(AriaRole.Note)).ToContainTextAsync("from-file.json");
        await Expect(op.GetByText("file@example.com")).ToBeVisibleAsync();
        await Expect(op.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await site.CheckPageAsync(op, "subscription-file");
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task KeyboardOnly_EditAndSave_WithVisibleFocus()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser);
        await OperatorMailApiTests.CreateSubscriptionAsync(site.Host, "daily-1");
        var page = await site.SignedInPageAsync(Role.Operator);
        await page.GotoAsync("/subscriptions/daily-1");

        await TabToAsync(page, "Form_Name");
        await Expect(page.GetByLabel("Name (optional)")).ToBeFocusedAsync();
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.TypeAsync("Typed by keyboard");
        await TabToAsync(page, "Form_Enabled");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.GetByLabel("Enabled (runs on its schedule)")).Not.ToBeCheckedAsync();
        await TabToAsync(page, "save");
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Expect(page.GetByLabel("Name (optional)")).ToHaveValueAsync("Typed by keyboard");
        await Expect(page.GetByText("Disabled", new() { Exact = true })).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "subscription-keyboard");

        // Delete asks first; the history brings it back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete daily-1?" })).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "subscription-delete-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("daily-1 was deleted");
        await Expect(page.GetByText("No subscriptions yet")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "history", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Version 3: delete" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore version 2" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Restored.");
        await Expect(page.GetByLabel("Name (optional)")).ToHaveValueAsync("Typed by keyboard");
        site.AssertNoBrowserErrors();
    }

    /// <summary>Presses Tab until the element with this id has focus (fails after 80 presses).</summary>
    private static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id") == id)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached #{id}");
    }
}
