using System.CommandLine;
using CarrierReports.Cli;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cli;

/// <summary>Help comes from the command definitions, and every bad flag of every command is one line naming it.</summary>
public sealed class CliHelpTests
{
    /// <summary>Every command path ("report", "archive list", ...) and the options it declares.</summary>
    private static IEnumerable<(string[] Path, Command Command)> Commands()
    {
        var root = CliApp.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, null, null));
        var pending = new Queue<(string[] Path, Command Command)>(root.Subcommands.Select(c => (new[] { c.Name }, c)));
        while (pending.TryDequeue(out var item))
        {
            yield return item;
            foreach (var sub in item.Command.Subcommands)
            {
                pending.Enqueue(([.. item.Path, sub.Name], sub));
            }
        }
    }

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Commands())
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    public static TheoryData<string> LeafCommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, command) in Commands().Where(c => c.Command.Subcommands.Count == 0))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Fact]
    public void EveryCommandOfTheIssueExists()
    {
        var paths = Commands().Select(c => string.Join(' ', c.Path)).ToHashSet();
        foreach (var expected in new[] { "demo", "report", "serve", "run", "backfill", "health", "runs list", "runs show", "subscriptions list", "subscriptions validate",
                     "subscriptions save", "subscriptions show", "subscriptions enable", "subscriptions disable", "subscriptions delete", "archive list", "archive get", "archive verify", "archive purge" })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_OnEveryCommand_ExitsZeroAndListsItsOptions(string path)
    {
        var command = Commands().Single(c => string.Join(' ', c.Path) == path).Command;

        var result = await CliRunner.RunAsync(new Dictionary<string, string?>(), [.. path.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Contains(command.Description!.Split('.')[0], result.Stdout, StringComparison.Ordinal);
        foreach (var option in command.Options.Append(new Option<bool>("--config")).Append(new Option<bool>("--verbose")))
        {
            Assert.Contains(option.Name, result.Stdout, StringComparison.Ordinal);
        }

        foreach (var sub in command.Subcommands)
        {
            Assert.Contains(sub.Name, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(LeafCommandPaths))]
    public async Task UnknownFlag_OnEveryCommand_IsOneLineNamingItAndExitTwo(string path)
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>(), [.. path.Split(' '), "--colour", "red"]);

        AssertOneLineError(result, $"error: --colour: is not an option of '{path}'");
    }

    [Theory]
    [InlineData(new[] { "report", "--carrier" }, "error: --carrier: needs a value")]
    [InlineData(new[] { "runs", "list", "--limit", "0" }, "error: --limit: '0' is not a number between 1 and 100000")]
    [InlineData(new[] { "runs", "list", "--limit", "5", "--limit", "6" }, "error: --limit: is given more than once")]
    [InlineData(new[] { "runs", "show" }, "error: run-id: is required")]
    [InlineData(new[] { "runs" }, "error: runs: needs a sub-command: list, show")]
    [InlineData(new[] { "subscriptions" }, "error: subscriptions: needs a sub-command: list, show, validate, save, enable, disable, delete")]
    [InlineData(new[] { "subscriptions", "frobnicate" }, "error: subscriptions: 'frobnicate' is not a sub-command")]
    [InlineData(new[] { "frobnicate" }, "error: 'frobnicate' is not a command (try --help)")]
    [InlineData(new[] { "archive", "verify", "extra" }, "error: archive verify: unexpected 'extra'")]
    public async Task BadInput_IsOneLineNamingTheOptionAndExitTwo(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>(), args);

        AssertOneLineError(result, expected);
    }

    [Fact]
    public async Task NoArguments_PrintsHelpAndExitsTwo()
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("subscriptions", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_HandledInputError_GivesTheErrorAndTraceButNoUnhandledException()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>(), "report", "--carrier", "1", "--tz", "Mars/Base", "--range", "previous-day", "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --tz: 'Mars/Base' is not a known IANA time zone", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("InputException", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }

    internal static void AssertOneLineError(CliResult result, string expectedStart)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expectedStart, line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
