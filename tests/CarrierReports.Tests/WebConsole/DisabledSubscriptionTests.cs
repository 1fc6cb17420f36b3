using System.Globalization;
using CarrierReports.Access;
using CarrierReports.Runs;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// A disabled subscription: "Send a test to me" and "Run now" first say that it is disabled and what the action will do
/// anyway, and send nothing until confirmed; the run's period is then shown in the subscription's zone, UTC on hover.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DisabledSubscriptionTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TestAndRunNow_OfADisabledSubscription_WarnFirst_ThenGoAhead_AndTheRunsPeriodIsInItsZone()
    {
        await using var delivered = await DeliveredRun.StartAsync(pg, browser);
        var site = delivered.Site;
        var page = await delivered.OperatorPageAsync();
        await page.GotoAsync($"/subscriptions/{DeliveredRun.Subscription}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Expect(page.Locator(".page-head")).ToContainTextAsync("Disabled");
        var mails = site.Host.Smtp.Received.Count;

        // A test: the warning says what happens; nothing is sent before "Yes".
        await page.GetByLabel("As of (optional)").FillAsync(OperatorMailApiTests.AsOf);
        await page.GetByLabel("Send a test to (your e-mail address)").FillAsync("me@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test to me" }).ClickAsync();
        var warning = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Send a test of a disabled subscription?" });
        await Expect(warning).ToContainTextAsync("it sends nothing on its schedule");
        await Expect(warning).ToContainTextAsync("goes to me@example.com only");
        Assert.Equal(mails, site.Host.Smtp.Received.Count);
        await site.CheckPageAsync(page, "subscription-disabled-test-warning");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, send the test" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("sent to me@example.com");
        Assert.Equal(["me@example.com"], site.Host.Smtp.Received.Last().To);
        mails = site.Host.Smtp.Received.Count;

        // Run now: the warning names the recipients; no run starts before "Yes".
        var runs = (await site.Host.Get<RunLedger>().ListAsync(DeliveredRun.Subscription, null, 100, CancellationToken.None)).Count;
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        warning = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Run a disabled subscription now?" });
        await Expect(warning).ToContainTextAsync("to its 1 recipient anyway");
        await Expect(warning).ToContainTextAsync("It stays disabled");
        Assert.Equal(runs, (await site.Host.Get<RunLedger>().ListAsync(DeliveredRun.Subscription, null, 100, CancellationToken.None)).Count);
        await site.CheckPageAsync(page, "subscription-disabled-run-warning");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, run it now" }).ClickAsync();
        var done = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "succeeded for" });
        await Expect(done).ToBeVisibleAsync();

        // The period as the subscription's zone reads it, the UTC instant on hover (and in brackets).
        var runId = await done.GetByRole(AriaRole.Link).TextContentAsync();
        var run = await site.Host.Get<RunLedger>().FindAsync(runId!, CancellationToken.None);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var from = done.Locator("time").First;
        await Expect(from).ToHaveTextAsync(TimeZoneInfo.ConvertTime(run!.PeriodFrom, berlin).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(from).ToHaveAttributeAsync("title", "UTC " + run.PeriodFrom.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(done).ToContainTextAsync("Europe/Berlin");
        await Expect(page.Locator(".page-head")).ToContainTextAsync("Disabled");
        await site.CheckPageAsync(page, "subscription-disabled-run");
    }
}
