using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>The runs pages for an operator: filters as the Overview links them, field errors, and a resend behind its confirmation.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RunsPageTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Operator_FiltersRuns_AndResendsToOneRecipient_AfterAConfirmationThatSaysWhatHappens()
    {
        await using var delivered = await DeliveredRun.StartAsync(pg, browser);
        var site = delivered.Site;
        var page = await delivered.OperatorPageAsync();

        await page.GotoAsync("/runs?status=failed&since=2000-01-01");
        await Expect(page.GetByText("No run matches these filters")).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "runs-empty");
        await page.GotoAsync("/runs?status=finished");
        await Expect(page.Locator(".field-error").First).ToContainTextAsync("'finished' is not a run status");
        await site.CheckPageAsync(page, "runs-field-error");
        await page.GotoAsync("/runs?status=succeeded&since=2000-01-01&node=nowhere");
        await Expect(page.GetByText("No run matches these filters")).ToBeVisibleAsync();

        await page.GotoAsync("/runs?status=succeeded&since=2000-01-01");
        await page.GetByRole(AriaRole.Link, new() { Name = $"run of {DeliveredRun.Subscription}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(delivered.RunId);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Retry" })).ToHaveCountAsync(0);

        await page.GetByLabel("Resend to").SelectOptionAsync("noc@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resend…" }).ClickAsync();
        await Expect(page.GetByText("Resend to noc@example.com?")).ToBeVisibleAsync();
        await Expect(page.Locator("form").Filter(new() { HasText = "Yes, resend" })).ToContainTextAsync(delivered.Pdf.FileName);
        Assert.Single(site.Host.Smtp.Received);
        await site.CheckPageAsync(page, "run-resend-confirm");

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, resend" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resent to noc@example.com");
        Assert.Equal(2, site.Host.Smtp.Received.Count);
        Assert.Equal(["noc@example.com"], site.Host.Smtp.Received.Last().To);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Resend" })).ToContainTextAsync("delivered");
        await site.CheckPageAsync(page, "run-detail-operator");

        var audit = (await site.Host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "runs.resend"), CancellationToken.None)).Entries;
        Assert.Equal(AuditRecord.Success, Assert.Single(audit).Outcome);
        site.AssertNoBrowserErrors();
    }
}
