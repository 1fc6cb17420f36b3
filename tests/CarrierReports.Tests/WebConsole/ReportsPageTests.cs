using System.Globalization;
using System.Text.RegularExpressions;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>Issue 11, journey 2: a manager (viewer scoped to one carrier) and the ad-hoc report page, in a real browser.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportsPageTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Manager_OpensPreviousMonth_SortsByAsr_DownloadsXlsxWithThePagesTotals_AndCannotSeeAnotherCarrier()
    {
        await using var site = await StartWithCdrsAsync();
        var page = await site.SignedInPageAsync(Role.Viewer, CarrierScope.Of(["1"]));
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link))
            .ToHaveTextAsync(["Overview", "Reports", "Subscriptions", "Runs"]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Pick a carrier and a period")).ToBeVisibleAsync();
        // Only the carrier in scope is offered: the other one is not even named.
        await Expect(page.GetByLabel("Carrier").Locator("option")).ToHaveTextAsync(["Choose a carrier", "Acme Telecom (1)"]);
        await site.CheckPageAsync(page, "reports-empty");

        await page.GetByLabel("Carrier").SelectOptionAsync("1");
        await page.GetByLabel("Period").SelectOptionAsync(new SelectOptionValue { Label = "Previous month" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/reports\\?carrier=1&range=previous-month&"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Acme Telecom (1)");
        await Expect(page.Locator("tbody .flag.bad").First).ToHaveTextAsync("below 30 %");
        await Expect(page.Locator("tbody td", new() { HasTextString = "—" }).First).ToBeVisibleAsync();
        // What counts as answered, in a manager's words; the mapping's rule ("duration (duration) > 0") only on hover.
        var answered = page.Locator(".answered-rule");
        await Expect(answered).ToContainTextAsync("A call counts as answered when it was connected, that is when it lasted longer than 0 seconds");
        await Expect(answered).Not.ToContainTextAsync("(duration)");
        await Expect(answered.Locator("[title]")).ToHaveAttributeAsync("title", new Regex(@"duration \(\w+\) > 0$"));
        await site.CheckPageAsync(page, "reports-previous-month");

        await page.GetByRole(AriaRole.Link, new() { Name = "ASR" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("sort=asr&dir=asc$"));
        await Expect(page.Locator("th[aria-sort=ascending]")).ToHaveTextAsync("ASR ▲");
        var asr = await AsrColumnAsync(page);
        Assert.Equal(asr.Order().ToList(), asr);
        await page.GetByRole(AriaRole.Link, new() { Name = "ASR ▲" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("sort=asr&dir=desc$"));
        Assert.Equal((await AsrColumnAsync(page)).OrderDescending().ToList(), await AsrColumnAsync(page));
        site.AssertNoBrowserErrors();

        // The XLSX of what is shown: its data rows add up to the page's totals.
        var total = page.Locator("tfoot tr");
        var pageAttempts = Count(await total.Locator("td").Nth(0).TextContentAsync());
        var pageAnswered = Count(await total.Locator("td").Nth(1).TextContentAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download XLSX" }).ClickAsync());
        Assert.Matches("^asr-per-route_1_\\d{4}-\\d{2}-01_\\d{4}-\\d{2}-01_day\\.xlsx$", download.SuggestedFilename);
        var file = Path.Combine(site.Host.Dir.Path, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        var (xlsxAttempts, xlsxAnswered) = SumDataSheet(file);
        Assert.True(pageAttempts > 100, $"attempts on the page: {pageAttempts}");
        Assert.Equal(pageAttempts, xlsxAttempts);
        Assert.Equal(pageAnswered, xlsxAnswered);

        // Another carrier by URL: 404, as if it did not exist, for the page and for the API behind the downloads.
        foreach (var url in new[] { "/reports?carrier=2&range=previous-month", "/api/v1/reports/asr-per-route?carrier=2&range=previous-month&tz=UTC&format=xlsx" })
        {
            var response = await page.Context.APIRequest.GetAsync(url);
            Assert.True(response.Status == 404, $"{url}: {response.Status}");
            Assert.DoesNotContain("Globex", await response.TextAsync(), StringComparison.Ordinal);
            await response.DisposeAsync();
        }

        // In the browser, the 404 is a page of the console that names nothing.
        await page.GotoAsync("/reports?carrier=2&range=previous-month");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task BadTimeZone_IsShownAtItsField_AndCustomRangeWorksInAnotherZone()
    {
        await using var site = await StartWithCdrsAsync();
        var page = await site.SignedInPageAsync(Role.Operator);
        await page.GotoAsync("/reports?carrier=1&range=previous-month&tz=Mars/Olympus&bucket=day");
        await Expect(page.Locator("#tz-error")).ToContainTextAsync("Mars/Olympus");
        await Expect(page.GetByLabel("Time zone")).ToHaveAttributeAsync("aria-invalid", "true");
        await site.CheckPageAsync(page, "reports-error");

        // All-carrier user: both carriers are offered.
        await Expect(page.GetByLabel("Carrier").Locator("option")).ToHaveTextAsync(["Choose a carrier", "Acme Telecom (1)", "Globex (2)"]);
        var now = TimeProvider.System.GetUtcNow();
        var from = new DateTime(now.Year, now.Month, 1).AddMonths(-1);
        await page.GotoAsync($"/reports?carrier=2&range=custom&from={from:yyyy-MM-dd}&to={from.AddDays(1):yyyy-MM-dd}&tz=Asia/Kathmandu&bucket=hour");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync($"{from:yyyy-MM-dd} 00:00");
        // Bucket times are local (Kathmandu, +05:45) with UTC on hover.
        await Expect(page.Locator("tbody tr").First.Locator("time")).ToHaveAttributeAsync("title", $"UTC {from.AddDays(-1):yyyy-MM-dd} 18:15");
        await site.CheckPageAsync(page, "reports-hourly");
    }

    private async Task<ConsoleSite> StartWithCdrsAsync()
    {
        var cdr = await pg.NewDatabaseAsync("console_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, Calls(TimeProvider.System.GetUtcNow()));
        var settings = CliRunner.Postgres(cdr);
        settings["Carriers:1"] = "Acme Telecom";
        settings["Carriers:2"] = "Globex";
        return await ConsoleSite.StartAsync(pg, browser, settings);
    }

    /// <summary>Calls of carriers 1 and 2 from two months before this one until now; "dead-route" never answers.</summary>
    private static List<TestCdr> Calls(DateTimeOffset now)
    {
        var random = new Random(11);
        string[] routes = ["uk-mobile", "de-fixed", "in-mobile", "dead-route"];
        var list = new List<TestCdr>();
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-2);
        for (var hour = start; hour < now; hour = hour.AddHours(1))
        {
            for (var i = random.Next(4); i < 4; i++)
            {
                var route = routes[random.Next(routes.Length)];
                var answered = route != "dead-route" && random.NextDouble() < (route == "in-mobile" ? 0.2 : 0.6);
                list.Add(new TestCdr(hour.AddSeconds(random.Next(3600)), 1 + random.Next(2), route, answered ? 1 + random.Next(300) : 0, answered ? 200 : 486));
            }
        }

        return list;
    }

    private static async Task<List<decimal>> AsrColumnAsync(IPage page) =>
        [.. (await page.Locator("tbody tr td:nth-child(5)").AllTextContentsAsync())
            .Where(t => !t.StartsWith('—'))
            .Select(t => decimal.Parse(t.Split('%')[0].Trim(), CultureInfo.InvariantCulture))];

    private static long Count(string? text) => long.Parse(text!.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>The sums of the Attempts (D) and Answered (E) columns of the Data sheet.</summary>
    private static (long Attempts, long Answered) SumDataSheet(string path)
    {
        using var xlsx = SpreadsheetDocument.Open(path, false);
        var workbook = xlsx.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Data");
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        long attempts = 0, answered = 0;
        foreach (var row in part.Worksheet.Descendants<Row>().Where(r => r.RowIndex! > 1))
        {
            foreach (var cell in row.Elements<Cell>())
            {
                var column = Regex.Match(cell.CellReference!.Value!, "^[A-Z]+").Value;
                if (column is "D" or "E")
                {
                    var value = long.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
                    if (column == "D") attempts += value; else answered += value;
                }
            }
        }

        return (attempts, answered);
    }
}
