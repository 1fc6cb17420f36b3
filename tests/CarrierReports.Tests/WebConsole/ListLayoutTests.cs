using System.Text.Json;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// What a new user saw: the runs and audit filters had labels, inputs and the Filter button on different lines (a
/// field with a hint or an error pushed its neighbours), and on a phone the lists scrolled sideways with the Period
/// column wrapped a character at a time. Measured in the browser at 1366×768 and 390×844.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ListLayoutTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>For each form row: the fields that share a line, and the tops of their controls (input, select, button).</summary>
    private const string ControlTopsByLine = """
        form => [...form.querySelectorAll('.form-row'), ...(form.matches('.filters') ? [form] : [])].flatMap(row => {
            const lines = new Map();
            for (const field of row.querySelectorAll(':scope > .field')) {
                const control = field.querySelector('.checks') ?? field.querySelector('input, select, button');
                if (!control) continue;
                const top = Math.round(field.getBoundingClientRect().top);
                if (!lines.has(top)) lines.set(top, []);
                lines.get(top).push(Math.round(control.getBoundingClientRect().top));
            }
            return [...lines.values()];
        })
        """;

    /// <summary>How far the page and each list box scroll sideways, and the most lines of any cell line-height high text in a Period or When cell.</summary>
    private const string Overflow = """
        () => ({
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            tables: Math.max(0, ...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)),
            periodLines: Math.max(0, ...[...document.querySelectorAll('td[data-label="Period"], td[data-label="Started"], td[data-label="Time"]')]
                .map(td => Math.round(td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)))),
        })
        """;

    [Fact]
    public async Task FilterFields_ShareOneLine_AndListsFitAPhone_WithoutPerCharacterWrapping()
    {
        await using var delivered = await DeliveredRun.StartAsync(pg, browser);
        var site = delivered.Site;
        var page = await site.SignedInPageAsync(Role.Admin);

        // A field error under Status and a hint under Action used to lift their neighbours' labels out of line.
        foreach (var url in new[] { "/runs?status=finished", "/audit?action=users.*", "/archive", "/subscriptions", "/reports" })
        {
            foreach (var size in new[] { ConsoleSite.Desktop, ConsoleSite.Phone })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.GotoAsync(url);
                var lines = await page.Locator("main form").First.EvaluateAsync<JsonElement>(ControlTopsByLine);
                foreach (var line in lines.EnumerateArray().Select(l => l.EnumerateArray().Select(t => t.GetInt32()).ToList()))
                {
                    Assert.True(line.Max() - line.Min() <= 1, $"{url} at {size.Width}px: controls of one line start at {string.Join(", ", line)}");
                }
            }
        }

        // On a phone the lists stack: nothing scrolls sideways, a period or a time takes at most two lines.
        await page.SetViewportSizeAsync(ConsoleSite.Phone.Width, ConsoleSite.Phone.Height);
        string[] pages =
        [
            "/", "/runs", $"/runs/{delivered.RunId}", "/audit", "/archive", $"/archive/{delivered.Pdf.ArchiveId}", "/subscriptions",
            $"/subscriptions/{DeliveredRun.Subscription}", $"/subscriptions/{DeliveredRun.Subscription}/history", "/admin/users", "/admin/keys",
        ];
        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            var o = await page.EvaluateAsync<JsonElement>(Overflow);
            Assert.True(o.GetProperty("page").GetInt32() <= 0, $"{url}: the page scrolls sideways by {o.GetProperty("page")}px");
            Assert.True(o.GetProperty("tables").GetInt32() <= 0, $"{url}: a list scrolls sideways by {o.GetProperty("tables")}px");
            Assert.True(o.GetProperty("periodLines").GetInt32() <= 2, $"{url}: a period or time cell takes {o.GetProperty("periodLines")} lines");
        }

        site.AssertNoBrowserErrors();
    }
}
