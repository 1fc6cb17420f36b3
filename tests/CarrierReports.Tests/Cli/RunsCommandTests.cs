using System.Security.Cryptography;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cli;

/// <summary><c>runs list</c> and <c>runs show</c> on SQLite: what a run produced, and what an empty ledger says.</summary>
public sealed class RunsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new TempFolder();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunsList_NoDatabaseYet_SaysWhereItLookedAndCreatesNothing()
    {
        var db = Path.Combine(_dir.Path, "service.db");

        var result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={db}" }, "runs", "list");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("(no runs)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("settings: no appsettings.json in", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"database: SQLite {db} (does not exist)", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    private async Task<Dictionary<string, string?>> RunSettingsAsync()
    {
        var cdr = await CdrTable.Default.LoadSqliteAsync(Path.Combine(_dir.Path, "cdr.db"), CdrTestData.Generate(perHour: 2));
        var settings = CliRunner.Sqlite(cdr);
        settings["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir.Path, "service.db")}";
        settings["SubscriptionSources:Folder"] = Path.Combine(_dir.Path, "none");
        settings["Archive:Root"] = Path.Combine(_dir.Path, "archive");
        settings["Mail:PickupFolder"] = Path.Combine(_dir.Path, "mail");
        settings["Mail:From"] = "reports@carrier.example";
        const string p = "Subscriptions:0:";
        settings[p + "Id"] = "acme-daily";
        settings[p + "Carrier"] = "1";
        settings[p + "Range"] = "previous-day";
        settings[p + "TimeZone"] = "Europe/London";
        settings[p + "Bucket"] = "hour";
        settings[p + "Cadence"] = "daily@06:00";
        settings[p + "Formats:0"] = "csv";
        settings[p + "Recipients:To:0"] = "noc@acme.example";
        settings[p + "Recipients:Cc:0"] = "manager@acme.example";
        return settings;
    }

    [Fact]
    public async Task RunsShow_AfterARun_ListsFilesWithHashesAndEachRecipient()
    {
        var settings = await RunSettingsAsync();
        var archive = settings["Archive:Root"]!;
        var run = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-daily", "--as-of", "2026-03-10T06:00:00Z");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var runId = run.Stdout.Split(' ', ':')[1];

        var show = await CliRunner.RunAsync(settings, "runs", "show", runId);

        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.StartsWith($"run {runId}: succeeded", show.Stdout, StringComparison.Ordinal);
        var csv = Assert.Single(Directory.GetFiles(archive, "*_hour.csv", SearchOption.AllDirectories));
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(csv)));
        Assert.Contains($"{Path.GetFileName(csv)} {new FileInfo(csv).Length:N0} bytes sha256 {sha}", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($"at {csv}", show.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"mail +to noc@acme\.example: delivered after 1 attempt\(s\), .*Message-ID <", show.Stdout);
        Assert.Matches(@"mail +cc manager@acme\.example: delivered after 1 attempt\(s\)", show.Stdout);
    }

    [Fact]
    public async Task Run_WithInformationLoggingInTheSettings_PrintsOnlyItsOwnOutput()
    {
        // As appsettings.sample.json does: the service's logs at Information must not mix into a command's output.
        var env = (await RunSettingsAsync()).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["Logging:LogLevel:Default"] = "Information";
        env["Logging:LogLevel:CarrierReports"] = "Information";

        var result = await AppProcess.RunAsync(env, _dir.Path, "run", "--subscription", "acme-daily", "--as-of", "2026-03-10T06:00:00Z");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.StartsWith("run run-", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsShow_UnknownRun_IsOneLineNamingTheArgument()
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir.Path, "service.db")}" }, "runs", "show", "run-nope");

        CliHelpTests.AssertOneLineError(result, "error: run-id: no run has id 'run-nope'");
    }
}
