using CarrierReports.Runs;
using CarrierReports.Scheduling;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Tests.Scheduling;

/// <summary>The real scheduler (Quartz on the PostgreSQL job store) catching up after downtime.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionSchedulerTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private string _cdr = "";

    public async Task InitializeAsync()
    {
        _cdr = await pg.NewDatabaseAsync("sched_cdr");
        await CdrTable.Default.LoadPostgresAsync(_cdr, CdrTestData.Generate(perHour: 1));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_AfterDowntime_RunsEachMissedPeriodOnceInOrderUpToTheMaximum()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = await SettingsAsync(smtp.Port);
        settings["Scheduling:MaxCatchUpRuns"] = "3";
        settings["Subscriptions:0:Range"] = "previous-hour";
        settings["Subscriptions:0:Cadence"] = "hourly";
        settings["Subscriptions:0:SettleDelay"] = "00:00:00";

        var builder = AppHost.CreateBuilder(null, settings, LogLevel.Warning);
        builder.Services.AddScheduling(builder.Configuration);
        using var host = builder.Build();

        // The last run anybody recorded was five fire times ago: the node was down since.
        var ledger = host.Services.GetRequiredService<RunLedger>();
        var subscription = await host.Services.GetRequiredService<SubscriptionCatalog>().GetAsync("hourly-acme", CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var lastRun = SubscriptionScheduler.MissedFireTimes(subscription, now.AddHours(-6), now)[^5];
        var earlier = await ledger.BeginAsync(new RunStart("hourly-acme", lastRun.AddHours(-1), lastRun, "Asia/Kathmandu", "previous-hour", lastRun, "old-node", RunTrigger.Schedule, 1), CancellationToken.None);
        await ledger.CompleteAsync(earlier.RunId, RunStatus.Succeeded, null, "before the downtime", 0, 0, CancellationToken.None);
        var missed = SubscriptionScheduler.MissedFireTimes(subscription, lastRun, DateTimeOffset.UtcNow);
        Assert.True(missed.Count >= 4, $"expected at least 4 missed fire times, got {missed.Count}");

        await host.StartAsync();
        try
        {
            IReadOnlyList<RunRecord> catchUps = [];
            for (var i = 0; i < 240 && (catchUps.Count < 3 || catchUps.Any(r => r.Status == RunStatus.Running)); i++)
            {
                await Task.Delay(250);
                catchUps = (await ledger.ListAsync("hourly-acme", null, 100, CancellationToken.None)).Where(r => r.Trigger == RunTrigger.CatchUp).ToList();
            }

            // The latest three missed fire times, each once, oldest first, each for its own hour.
            var expected = missed.Skip(missed.Count - 3).ToList();
            var ordered = catchUps.OrderBy(r => r.StartedAt).ToList();
            Assert.Equal(expected, ordered.Select(r => r.ScheduledAt));
            Assert.All(ordered, r => Assert.Equal(RunStatus.Succeeded, r.Status));
            Assert.Equal(expected.Select(t => t.AddMinutes(-t.Minute)).Count(), ordered.Select(r => r.PeriodFrom).Distinct().Count());
            Assert.All(ordered, r => Assert.Equal(15, r.PeriodFrom.Minute)); // Kathmandu hours start at :15 UTC
            // One mail per delivering run (a regular hourly fire may join in if the test crosses an hour).
            var sent = (await ledger.ListAsync("hourly-acme", RunStatus.Succeeded, 100, CancellationToken.None)).Count(r => r.Note!.StartsWith("sent to 1 of 1", StringComparison.Ordinal));
            Assert.True(sent >= 3);
            Assert.Equal(sent, smtp.Received.Count);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(int smtpPort)
    {
        var settings = CliRunner.Postgres(_cdr);
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = await pg.NewDatabaseAsync("sched_service");
        settings["SubscriptionSources:Folder"] = Path.Combine(_dir.Path, "none");
        settings["Archive:Root"] = Path.Combine(_dir.Path, "archive-" + Guid.NewGuid().ToString("N"));
        settings["Mail:Transport"] = "Smtp";
        settings["Mail:Host"] = "127.0.0.1";
        settings["Mail:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mail:From"] = "reports@carrier.example";
        settings["Subscriptions:0:Id"] = "hourly-acme";
        settings["Subscriptions:0:Carrier"] = "1";
        settings["Subscriptions:0:TimeZone"] = "Asia/Kathmandu";
        settings["Subscriptions:0:Bucket"] = "hour";
        settings["Subscriptions:0:Formats:0"] = "csv";
        settings["Subscriptions:0:Recipients:To:0"] = "noc@acme.example";
        var migrate = await CliRunner.RunAsync(settings, "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        return settings;
    }

    [Fact]
    public async Task Serve_PeriodNotSettled_RunsAfterTheSettleDelayForTheScheduledPeriod()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = await SettingsAsync(smtp.Port);
        settings["Subscriptions:0:Range"] = "now-10s..now";
        settings["Subscriptions:0:Cadence"] = "0/10 * * * * ?";
        settings["Subscriptions:0:SettleDelay"] = "00:00:04";
        var builder = AppHost.CreateBuilder(null, settings, LogLevel.Warning);
        builder.Services.AddScheduling(builder.Configuration);
        using var host = builder.Build();
        var ledger = host.Services.GetRequiredService<RunLedger>();

        await host.StartAsync();
        try
        {
            IReadOnlyList<RunRecord> runs = [];
            for (var i = 0; i < 160 && runs.Count(r => r.Status == RunStatus.Succeeded) < 2; i++)
            {
                await Task.Delay(250);
                runs = await ledger.ListAsync("hourly-acme", null, 100, CancellationToken.None);
            }

            var done = runs.Where(r => r.Status == RunStatus.Succeeded).ToList();
            Assert.True(done.Count >= 2, $"expected two settled runs, got {done.Count}");
            Assert.All(done, r =>
            {
                // The period is the 10 s before the fire time, and the run waited for the settle delay after it.
                Assert.Equal(r.ScheduledAt, r.PeriodTo);
                Assert.Equal(TimeSpan.FromSeconds(10), r.PeriodTo - r.PeriodFrom);
                Assert.Equal(0, r.ScheduledAt.Second % 10);
                Assert.True(r.StartedAt >= r.PeriodTo.AddSeconds(4), $"started {r.StartedAt:O}, period ended {r.PeriodTo:O}");
            });
            Assert.Equal(done.Count, done.Select(r => r.PeriodFrom).Distinct().Count());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
