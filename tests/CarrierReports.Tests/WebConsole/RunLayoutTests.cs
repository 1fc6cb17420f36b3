using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// What a new user saw at 1366×768: the run's status card read "succeede / d" and the runs list split each run id at
/// its hyphen. Measured in the browser: a text that should be one line is less than two font sizes tall.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunLayoutTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string LinesOf = "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)";

    [Fact]
    public async Task Desktop_StatusCardAndRunIdInTheList_StayOnOneLine()
    {
        var delivered = await DeliveredRun.StartAsync(pg, browser);
        await using var site = delivered.Site;
        var page = await site.SignedInPageAsync(Role.Operator);

        await page.GotoAsync("/runs");
        var idInList = page.Locator("td a code").First;
        Assert.StartsWith("run-", await idInList.InnerTextAsync());
        Assert.True(await idInList.EvaluateAsync<double>(LinesOf) < 2, "the run id in the list wraps");

        await page.GotoAsync($"/runs/{delivered.RunId}");
        var status = page.Locator(".stat .value").First;
        Assert.Equal("succeeded", await status.InnerTextAsync());
        Assert.True(await status.EvaluateAsync<double>(LinesOf) < 2, "the status word is split over two lines");
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task RunOfAnotherCarrier_AnswersTheConsoles404Page_NotABareStatus()
    {
        var delivered = await DeliveredRun.StartAsync(pg, browser);
        await using var site = delivered.Site;
        var page = await site.SignedInPageAsync(Role.Viewer, CarrierScope.Of(["999"]));

        var response = await page.GotoAsync($"/runs/{delivered.RunId}");
        Assert.Equal(404, response!.Status);
        await Microsoft.Playwright.Assertions.Expect(page.GetByText("There is nothing here for you")).ToBeVisibleAsync();
    }
}
