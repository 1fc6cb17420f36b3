using CarrierReports.Access;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Api;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// The overview's "failing" and "overdue" links in a real browser: <c>/subscriptions?failing=true</c> lists exactly the
/// subscriptions with a failed run in the last 7 days and no success after it, <c>?overdue=true</c> exactly those the
/// health check counts as overdue, each within the user's carriers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionsFilterTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly SubscriptionActor Ops = new(new Actor("olga", Role.Operator, CarrierScope.All, AuthMethod.Password, null), "127.0.0.1");

    [Fact]
    public async Task FailingAndOverdue_ListExactlyTheMatchingSubscriptions_WithinTheViewersCarrier()
    {
        await using var site = await ConsoleSite.StartAsync(pg, browser, new Dictionary<string, string?> { ["Health:OverdueAfter"] = "00:00:01" });
        var store = site.Host.Get<SubscriptionStore>();
        var created = new Dictionary<string, Subscription>();
        foreach (var (id, carrier, hourly) in new[] { ("a-failing", "1", false), ("b-healed", "1", false), ("c-overdue", "1", true), ("d-healthy", "1", false), ("e-other", "2", true) })
        {
            var definition = ApiTestCalls.Definition(id, carrier);
            if (hourly)
            {
                (definition.Cadence, definition.TimeZone, definition.Range, definition.SettleDelay) = ("hourly", "UTC", "previous-hour", TimeSpan.Zero);
            }

            created[id] = (await store.CreateAsync(definition, Ops, CancellationToken.None)).Subscription;
        }

        var now = DateTimeOffset.UtcNow;
        // The daily ones ran after their latest fire, so none of them is overdue whatever the time of day.
        DateTimeOffset AfterFire(string id, int minutes) => created[id].LatestFireAtOrBefore(now)!.Value.AddMinutes(minutes);
        await RunAsync(site, "a-failing", RunStatus.Failed, AfterFire("a-failing", 1));
        await RunAsync(site, "b-healed", RunStatus.Failed, AfterFire("b-healed", 1));
        await RunAsync(site, "b-healed", RunStatus.Succeeded, AfterFire("b-healed", 2));
        await RunAsync(site, "d-healthy", RunStatus.Succeeded, AfterFire("d-healthy", 1));
        // Ran (once, successfully) two hourly fires ago and not since: its latest fire has no run.
        await RunAsync(site, "c-overdue", RunStatus.Succeeded, TwoFiresBack(now));
        // Another carrier's: failing and overdue both.
        await RunAsync(site, "e-other", RunStatus.Failed, TwoFiresBack(now));

        var admin = await site.SignedInPageAsync(Role.Admin);
        await ExpectListedAsync(admin, "/subscriptions?failing=true", "a-failing", "e-other");
        await ExpectListedAsync(admin, "/subscriptions?overdue=true", "c-overdue", "e-other");
        await ExpectListedAsync(admin, "/subscriptions?failing=true&overdue=true", "e-other");
        await ExpectListedAsync(admin, "/subscriptions?failing=true&carrier=1", "a-failing");
        await site.CheckPageAsync(admin, "subscriptions-failing-overdue");

        var viewer = await site.SignedInPageAsync(Role.Viewer, CarrierScope.Of(["1"]));
        await ExpectListedAsync(viewer, "/subscriptions?failing=true", "a-failing");
        await ExpectListedAsync(viewer, "/subscriptions?overdue=true", "c-overdue");
        await ExpectListedAsync(viewer, "/subscriptions?failing=true&carrier=2");
        await site.CheckPageAsync(viewer, "subscriptions-overdue-viewer");
        site.AssertNoBrowserErrors();
    }

    private static async Task ExpectListedAsync(IPage page, string url, params string[] ids)
    {
        await page.GotoAsync(url);
        await Expect(page.Locator("tbody tr td:first-child a")).ToHaveTextAsync(ids);
        if (ids.Length == 0)
        {
            await Expect(page.GetByText("No subscription matches these filters")).ToBeVisibleAsync();
        }
    }

    /// <summary>The start of the hour before the current one's: an hourly subscription's fire two fires back.</summary>
    private static DateTimeOffset TwoFiresBack(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);

    /// <summary>A run of the hour before <paramref name="startedAt"/>, started then (the ledger stamps the clock, so the start is set after).</summary>
    private static async Task RunAsync(ConsoleSite site, string subscription, RunStatus status, DateTimeOffset startedAt)
    {
        var ledger = site.Host.Get<RunLedger>();
        var run = await ledger.BeginAsync(new RunStart(subscription, startedAt.AddHours(-1), startedAt, "UTC", "previous-hour", startedAt, "node-a", RunTrigger.Schedule, 1), CancellationToken.None);
        await ledger.CompleteAsync(run.RunId, status, status == RunStatus.Failed ? "SMTP 554 rejected" : null, null, 10, 100, CancellationToken.None);
        await using var connection = await site.Host.Get<ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE cr_runs SET started_at = @at WHERE run_id = @id";
        ServiceDatabase.Add(cmd, "at", startedAt.AddSeconds(5));
        ServiceDatabase.Add(cmd, "id", run.RunId);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }
}
