using System.Text.Json;
using CarrierReports.Archive;
using CarrierReports.Delivery;
using CarrierReports.Runs;
using CarrierReports.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace CarrierReports.Demo;

/// <summary>
/// The demo's second half: the whole delivery loop on the embedded default. It writes a settings file for the demo
/// (SQLite ledger, pickup-folder mail, archive under the output folder, one subscription), starts the real scheduler,
/// lets the subscription fire once, and shows the ledger row, the mail files and the archive entry.
/// </summary>
public static class DemoLoop
{
    public const string SubscriptionId = "acme-daily";

    /// <summary>Writes the demo's settings file (and resets its ledger, mailbox and archive); returns its path.</summary>
    public static async Task<string> WriteSettingsAsync(string cdrPath, string outDir, string dataDir, CancellationToken cancellationToken)
    {
        var settingsPath = Path.Combine(outDir, "demo.settings.json");
        var mailDir = Path.Combine(outDir, "mail");
        var archiveDir = Path.Combine(outDir, "archive");
        var ledgerPath = Path.Combine(dataDir, "demo-service.db");

        // A fresh ledger, mailbox and archive each time, so the demo always shows a first delivery.
        foreach (var dir in new[] { mailDir, archiveDir })
        {
            if (Directory.Exists(dir))
            {
                MakeWritable(dir);
                Directory.Delete(dir, recursive: true);
            }
        }

        Directory.CreateDirectory(dataDir);
        foreach (var file in new[] { ledgerPath, ledgerPath + "-wal", ledgerPath + "-shm" })
        {
            File.Delete(file);
        }

        var settings = new
        {
            CdrSource = new { Provider = "Sqlite", ConnectionString = $"Data Source={cdrPath}", Table = DemoData.Table },
            Database = new { Provider = "Sqlite", ConnectionString = $"Data Source={ledgerPath}" },
            Mail = new { Transport = "Pickup", PickupFolder = mailDir, From = "CarrierReports demo <reports@carrierreports.example>" },
            Archive = new { Root = archiveDir },
            SubscriptionSources = new { Folder = Path.Combine(outDir, "no-subscription-files") },
            Carriers = DemoData.CarrierNames,
            Subscriptions = new object[]
            {
                new
                {
                    Id = SubscriptionId,
                    Name = "Acme Telecom: yesterday by hour",
                    Carrier = DemoData.MainCarrier,
                    Range = "previous-day",
                    TimeZone = "Europe/London",
                    Bucket = "hour",
                    Cadence = "daily@06:00",
                    SettleDelay = "00:00:00",
                    Formats = new[] { "pdf", "xlsx", "csv" },
                    Recipients = new { To = new[] { "noc@acme.example" }, Cc = new[] { "carrier-manager@acme.example" } },
                },
            },
        };
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(settingsPath, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return settingsPath;
    }

    /// <summary>Starts the demo's host (built from <see cref="WriteSettingsAsync"/>'s file), fires the subscription once and shows what it did.</summary>
    public static async Task RunAsync(IHost host, string outDir, DateTimeOffset now, TextWriter stdout, CancellationToken cancellationToken)
    {
        var settingsPath = Path.Combine(outDir, "demo.settings.json");
        var mailDir = Path.Combine(outDir, "mail");
        var archiveDir = Path.Combine(outDir, "archive");
        await host.StartAsync(cancellationToken);
        try
        {
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"Scheduler started with subscription '{SubscriptionId}' (daily@06:00 Europe/London, previous day by hour); firing it now.");
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(cancellationToken);
            await SubscriptionJob.ScheduleOnceAsync(scheduler, "demo", SubscriptionId, now, host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), RunTrigger.Schedule, 1, cancellationToken);

            var ledger = host.Services.GetRequiredService<RunLedger>();
            RunRecord? run = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            while (run is null or { Status: RunStatus.Running })
            {
                await Task.Delay(250, timeout.Token);
                run = (await ledger.ListAsync(SubscriptionId, null, 1, timeout.Token)).FirstOrDefault();
            }

            await stdout.WriteLineAsync($"  run     {run.RunId}: {run.Status.Name()} on node {run.Node} — {run.Error ?? run.Note}");
            foreach (var d in await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken))
            {
                await stdout.WriteLineAsync($"  mail    {d.Kind.Name()} {d.Recipient}: {d.Outcome.Name()}, Message-ID {d.MessageId}");
            }

            foreach (var eml in Directory.Exists(mailDir) ? Directory.GetFiles(mailDir, "*.eml").Order(StringComparer.Ordinal).ToArray() : [])
            {
                await stdout.WriteLineAsync($"  wrote   {eml}");
            }

            foreach (var entry in await host.Services.GetRequiredService<ArchiveStore>().ListAsync(cancellationToken))
            {
                await stdout.WriteLineAsync($"  archive {entry.Id} {Path.Combine(archiveDir, entry.Path)} ({entry.Files.Count} files, SHA-256 in archive-entry.json)");
            }

            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync("Look further with the demo's settings:");
            foreach (var command in new[] { "runs list", "archive list", "archive verify", $"run --subscription {SubscriptionId}" })
            {
                await stdout.WriteLineAsync($"  dotnet run --project src/CarrierReports -- {command} --config {settingsPath}");
            }

            await stdout.WriteLineAsync("The web console and API on the demo's data (then open http://127.0.0.1:8080/ and sign in):");
            await stdout.WriteLineAsync($"  dotnet run --project src/CarrierReports -- users add <your name> --role admin --config {settingsPath}   # prints a one-time password");
            await stdout.WriteLineAsync($"  dotnet run --project src/CarrierReports -- serve --config {settingsPath}");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Archived files are read-only by design; the demo resets its own archive, so lift that first.</summary>
    private static void MakeWritable(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
    }
}
