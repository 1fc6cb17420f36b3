using System.Text.RegularExpressions;
using CarrierReports.Access;
using CarrierReports.Cdr;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// Issue 11, journey 1 in a real browser: support staff create a subscription (a bad cadence first), watch the next
/// fire times follow the cadence as they type, preview the mail and the PDF, send a test to themselves, save, run it
/// now (the recipients' mail arrives at the in-process SMTP server) and resolve a conflict with a second editor.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionsJourneyTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SupportStaff_CreateWithMistake_Preview_TestSend_Save_RunNow_ResolveConflict()
    {
        var cdr = await pg.NewDatabaseAsync("subs_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, CdrTestData.Generate(perHour: 2));
        await using var site = await ConsoleSite.StartAsync(pg, browser, CliRunner.Postgres(cdr));
        var page = await site.SignedInPageAsync(Role.Operator, CarrierScope.Of(["1"]));

        await page.GotoAsync("/subscriptions");
        await Expect(page.GetByText("No subscriptions yet")).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "subscriptions-empty");
        await page.GetByRole(AriaRole.Link, new() { Name = "New subscription" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New subscription", Level = 1 })).ToBeVisibleAsync();

        // A mistake: the field error is the API's and the CLI's message.
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync("daily-1");
        await page.GetByLabel("Carrier").FillAsync("1");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await page.GetByLabel("Cadence").FillAsync("daily@25:00");
        await page.GetByLabel("To (one address per line)").FillAsync("noc@example.com\nops@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();
        var expected = Assert.Throws<InputException>(() => Cadence.ToQuartzCron("daily@25:00", "Cadence")).Reason;
        await Expect(page.Locator("[data-valmsg-for='Form.Cadence']")).ToHaveTextAsync(expected);
        await Expect(page.GetByText("fix the fields marked below")).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "subscription-new-error");

        // Fixing it: the next fire times follow the cadence as it is typed (htmx, no reload).
        await page.GetByLabel("Cadence").FillAsync("weekly@mon 07:00");
        var fires = page.Locator("#fires tbody tr");
        await Expect(fires).ToHaveCountAsync(5);
        await Expect(fires.First.Locator("td").First).ToContainTextAsync("Mon");
        await Expect(fires.First.Locator("td").Nth(0).Locator("time")).ToHaveAttributeAsync("title", new Regex(@"06:00 UTC|05:00 UTC"));
        await page.GetByLabel("Cadence").FillAsync("daily@06:00");
        await Expect(fires.Filter(new() { HasNotText = "Mon" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("#fires caption")).ToContainTextAsync("Europe/Berlin");

        // Preview of the period with CDRs: subject, HTML body in a sandboxed frame, the PDF's bytes.
        await page.GetByLabel("As of (optional)").FillAsync(OperatorMailApiTests.AsOf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview of the mail" })).ToBeVisibleAsync();
        await Expect(page.Locator(".subject")).Not.ToBeEmptyAsync();
        await Expect(page.FrameLocator("iframe.mail-frame").Locator("body")).ToContainTextAsync("ASR per Route");
        var pdfHref = await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Open the PDF") }).GetAttributeAsync("href");
        var pdf = await page.Context.APIRequest.GetAsync(pdfHref!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]));
        await site.CheckPageAsync(page, "subscription-preview");
        // A full-page screenshot leaves a sandboxed (out-of-process) frame below the fold blank: the frame alone, in view.
        await page.Locator("iframe.mail-frame").ScrollIntoViewIfNeededAsync();
        await page.Locator("iframe.mail-frame").ScreenshotAsync(new() { Path = Path.Combine(ConsoleSite.ScreenshotFolder, "subscription-preview-mail.png") });
        Assert.Equal(0, site.Host.Smtp.Messages);

        // A test to themselves, before saving.
        await page.GetByLabel("Send a test to (your e-mail address)").FillAsync("me@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test to me" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("sent to me@example.com");
        var test = Assert.Single(site.Host.Smtp.Received);
        Assert.Equal(["me@example.com"], test.To);

        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/subscriptions/daily-1\\?saved=1$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");

        // Run now: the run succeeds and both recipients receive the report.
        await page.GetByLabel("As of (optional)").FillAsync(OperatorMailApiTests.AsOf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("succeeded");
        Assert.Equal(["noc@example.com", "ops@example.com"], site.Host.Smtp.Received.Skip(1).SelectMany(m => m.To).Order());
        await site.CheckPageAsync(page, "subscription-run");

        await page.GotoAsync("/subscriptions");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "daily-1" });
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "succeeded" })).ToBeVisibleAsync();
        await Expect(row.GetByText("overdue")).ToHaveCountAsync(0);
        await site.CheckPageAsync(page, "subscriptions-list");

        await ResolveConflictAsync(site, page);
    }

    /// <summary>Two editors at once: the second save sees both versions side by side and keeps both people's changes.</summary>
    private static async Task ResolveConflictAsync(ConsoleSite site, IPage mine)
    {
        var other = await site.NewPageAsync(await site.NewContextAsync());
        await ConsoleSite.SignInAsync(other, (await site.Host.CreateUserAsync(Role.Operator, name: "colleague")).Name);
        await mine.GotoAsync("/subscriptions/daily-1");
        await other.GotoAsync("/subscriptions/daily-1");

        await other.GetByLabel("Name (optional)").FillAsync("Their name");
        await other.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(other.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");

        await mine.GetByLabel("ASR warning below (%)").FillAsync("25");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(mine.GetByRole(AriaRole.Heading, new() { Name = "Not saved: someone else saved this subscription first" })).ToBeVisibleAsync();
        var nameRow = mine.Locator("table.compare tr").Filter(new() { HasText = "Name" }).First;
        await Expect(nameRow).ToHaveClassAsync("differs");
        await Expect(nameRow).ToContainTextAsync("Their name");
        await Expect(nameRow).ToContainTextAsync("they changed it");
        await Expect(mine.Locator("table.compare tr").Filter(new() { HasText = "AsrWarningThresholdPct" })).ToContainTextAsync("you changed it");
        // The form holds their version with this user's change on top.
        await Expect(mine.GetByLabel("Name (optional)")).ToHaveValueAsync("Their name");
        await Expect(mine.GetByLabel("ASR warning below (%)")).ToHaveValueAsync("25");
        await site.CheckPageAsync(mine, "subscription-conflict");

        await mine.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(mine.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var stored = await site.Host.Get<SubscriptionStore>().FindAsync("daily-1", CarrierScope.All, CancellationToken.None);
        Assert.Equal("Their name", stored!.Subscription.Name);
        Assert.Equal(25m, stored.Subscription.AsrWarningThresholdPct);

        // The history says who changed what, and restores.
        await mine.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(mine.GetByRole(AriaRole.Heading, new() { Name = "Version 3: update" })).ToBeVisibleAsync();
        await Expect(mine.Locator("ol.history > li").First).ToContainTextAsync("AsrWarningThresholdPct");
        await site.CheckPageAsync(mine, "subscription-history");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Restore version 1" }).ClickAsync();
        await Expect(mine.GetByRole(AriaRole.Status)).ToHaveTextAsync("Restored.");
        await Expect(mine.GetByLabel("Name (optional)")).ToHaveValueAsync("");
        site.AssertNoBrowserErrors();
    }
}
