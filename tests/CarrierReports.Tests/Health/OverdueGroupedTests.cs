using System.Globalization;
using CarrierReports.Health;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Tests.Health;

/// <summary>
/// The overdue check asks the ledger about every subscription in a few grouped statements: on a mix of subscriptions
/// (overdue, older overdue, never run, recently run, disabled, first run after its fire) it must name the same oldest
/// overdue subscription the per-subscription questions named, on both service databases.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OverdueGroupedTests(PostgresFixture pg)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task MixedSubscriptions_OldestOverdueIsNamed_ThenTheNext_ThenNone(string provider)
    {
        using var dir = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = provider == "Postgres" ? await pg.NewDatabaseAsync("overdue") : $"Data Source={dir.PathOf("service.db")}",
            ["SubscriptionSources:Folder"] = dir.PathOf("none"),
            ["Health:OverdueAfter"] = "00:00:01",
        };
        // Three hours back, so its latest fire is older than any hourly subscription's.
        var older = now.AddHours(-3).ToString("HH", CultureInfo.InvariantCulture);
        string[] ids = ["a-overdue", "b-never", "c-recent", "d-disabled", "e-older", "f-started-after"];
        for (var i = 0; i < ids.Length; i++)
        {
            var p = $"Subscriptions:{i}:";
            settings[p + "Id"] = ids[i];
            settings[p + "Carrier"] = "1";
            settings[p + "TimeZone"] = "UTC";
            settings[p + "Range"] = ids[i] == "e-older" ? "previous-day" : "previous-hour";
            settings[p + "Cadence"] = ids[i] == "e-older" ? $"daily@{older}:00" : "hourly";
            settings[p + "SettleDelay"] = "00:00:00";
            settings[p + "Enabled"] = ids[i] == "d-disabled" ? "false" : "true";
            settings[p + "Recipients:To:0"] = "noc@acme.example";
        }

        using var host = AppHost.CreateBuilder(null, settings, LogLevel.Warning).Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        var catalog = host.Services.GetRequiredService<SubscriptionCatalog>();
        var ledger = host.Services.GetRequiredService<RunLedger>();
        var check = host.Services.GetRequiredService<HealthCheck>();
        var cutoff = now.AddSeconds(-1);

        async Task<DateTimeOffset> RunAsync(string id, int firesBack, DateTimeOffset? startedAt = null)
        {
            var s = await catalog.GetAsync(id, CancellationToken.None);
            var fire = s.LatestFireAtOrBefore(cutoff)!.Value;
            for (var k = 0; k < firesBack; k++)
            {
                fire = s.LatestFireAtOrBefore(fire.AddSeconds(-1))!.Value;
            }

            var period = s.PeriodFor(fire);
            var run = await ledger.BeginAsync(new RunStart(id, period.UtcFrom, period.UtcTo, "UTC", s.Range, fire, "test", RunTrigger.Schedule, 1), CancellationToken.None);
            await ledger.CompleteAsync(run.RunId, RunStatus.Succeeded, null, null, 0, 0, CancellationToken.None);
            // The ledger stamps the start with the clock; the run started at its fire time (or when the test says).
            await using var connection = await host.Services.GetRequiredService<ServiceDatabase>().OpenAsync(CancellationToken.None);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE cr_runs SET started_at = @at WHERE run_id = @id";
            ServiceDatabase.Add(cmd, "at", (startedAt ?? fire).AddSeconds(5));
            ServiceDatabase.Add(cmd, "id", run.RunId);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
            return fire;
        }

        await RunAsync("a-overdue", 2);          // ran two fires ago, not since
        await RunAsync("c-recent", 0);           // ran its latest period
        await RunAsync("d-disabled", 2);         // would be overdue, but disabled
        await RunAsync("e-older", 1);            // ran the day before its latest fire
        await RunAsync("f-started-after", 3, now); // first run started after its latest fire: not scheduled then

        var e = await catalog.GetAsync("e-older", CancellationToken.None);
        var eFire = e.LatestFireAtOrBefore(cutoff)!.Value;
        var first = await check.CheckAsync(CancellationToken.None);
        Assert.Equal(new OverdueSubscription("e-older", eFire, eFire, e.PeriodFor(eFire).UtcFrom, e.PeriodFor(eFire).UtcTo), first.OldestOverdue);

        await RunAsync("e-older", 0);
        var a = await catalog.GetAsync("a-overdue", CancellationToken.None);
        var aFire = a.LatestFireAtOrBefore(cutoff)!.Value;
        var second = await check.CheckAsync(CancellationToken.None);
        Assert.Equal(new OverdueSubscription("a-overdue", aFire, aFire, a.PeriodFor(aFire).UtcFrom, a.PeriodFor(aFire).UtcTo), second.OldestOverdue);

        await RunAsync("a-overdue", 0);
        var healthy = await check.CheckAsync(CancellationToken.None);
        Assert.Null(healthy.OldestOverdue);
        Assert.Contains(healthy.Items, i => i.Check == "overdue" && i.Detail.StartsWith("none of 5 enabled subscriptions", StringComparison.Ordinal));
    }
}
