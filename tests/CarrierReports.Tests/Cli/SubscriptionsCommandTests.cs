using System.Text.Json;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cli;

/// <summary>The everyday subscription commands on the embedded SQLite database: validate a file, save, show, disable, enable, delete.</summary>
public sealed class SubscriptionsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new TempFolder();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir.Path, "service.db")}",
        ["SubscriptionSources:Folder"] = Path.Combine(_dir.Path, "subscriptions"),
        ["Mail:From"] = "reports@carrier.example",
    };

    private static object Subscription(string id, string timeZone = "Europe/London", string cadence = "daily@06:00", string bucket = "hour") => new
    {
        Id = id,
        Carrier = "1",
        Range = "previous-day",
        TimeZone = timeZone,
        Bucket = bucket,
        Cadence = cadence,
        Formats = new[] { "csv" },
        Recipients = new { To = new[] { "noc@acme.example" } },
    };

    private string Write(string name, object content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, JsonSerializer.Serialize(content));
        return path;
    }

    [Fact]
    public async Task ValidateFile_BadFile_ReportsEachErrorOfThatFile()
    {
        var bad = Write("bad.json", Subscription("acme-bad", timeZone: "Mars/Base", cadence: "fortnightly", bucket: "week"));

        var result = await CliRunner.RunAsync(Settings(), "subscriptions", "validate", "--file", bad);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("error: subscription 'acme-bad' (" + bad + ")", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("TimeZone:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Cadence:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Bucket:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateFile_GoodFile_SaysSo()
    {
        var good = Write("good.json", new[] { Subscription("acme-a"), Subscription("acme-b") });

        var result = await CliRunner.RunAsync(Settings(), "subscriptions", "validate", "--file", good);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"{good}: 2 subscriptions are valid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateFile_MissingFile_NamesTheFlag()
    {
        var result = await CliRunner.RunAsync(Settings(), "subscriptions", "validate", "--file", Path.Combine(_dir.Path, "nope.json"));

        CliHelpTests.AssertOneLineError(result, "error: --file: '");
    }

    [Fact]
    public async Task SaveShowDisableEnableDelete_ChangeTheDatabaseSubscription()
    {
        var settings = Settings();
        Assert.Equal(0, (await CliRunner.RunAsync(settings, "subscriptions", "save", "--file", Write("s.json", Subscription("acme-db")))).ExitCode);

        var show = await CliRunner.RunAsync(settings, "subscriptions", "show", "acme-db");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("subscription acme-db (database)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"cadence\": \"daily@06:00\"", show.Stdout, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(0, (await CliRunner.RunAsync(settings, "subscriptions", "disable", "acme-db")).ExitCode);
        Assert.Matches(@"acme-db\s+no\s", (await CliRunner.RunAsync(settings, "subscriptions", "list")).Stdout);

        Assert.Equal(0, (await CliRunner.RunAsync(settings, "subscriptions", "enable", "acme-db")).ExitCode);
        Assert.Matches(@"acme-db\s+yes\s", (await CliRunner.RunAsync(settings, "subscriptions", "list")).Stdout);

        var delete = await CliRunner.RunAsync(settings, "subscriptions", "delete", "acme-db");
        Assert.Equal("deleted subscription 'acme-db' in the database\n", delete.Stdout.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains("(no subscriptions)", (await CliRunner.RunAsync(settings, "subscriptions", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_FileSubscription_NamesItsFile()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "subscriptions"));
        var file = Path.Combine(_dir.Path, "subscriptions", "acme.json");
        File.WriteAllText(file, JsonSerializer.Serialize(Subscription("acme-file")));

        var result = await CliRunner.RunAsync(Settings(), "subscriptions", "disable", "acme-file");

        CliHelpTests.AssertOneLineError(result, "error: id: 'acme-file' is defined in ");
        Assert.Contains("acme.json, not in the database; change it there", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("delete")]
    public async Task UnknownId_NamesTheKnownOnes(string verb)
    {
        var settings = Settings();
        await CliRunner.RunAsync(settings, "subscriptions", "save", "--file", Write("s.json", Subscription("acme-db")));

        var result = await CliRunner.RunAsync(settings, "subscriptions", verb, "acme-nope");

        CliHelpTests.AssertOneLineError(result, "error: id: 'acme-nope' is not a subscription (known: acme-db)");
    }
}
