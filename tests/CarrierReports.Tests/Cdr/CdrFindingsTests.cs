using CarrierReports.Cdr;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cdr;

/// <summary>Issue 9, items 6 and 7: what the CDR table holds is either in the report or said in it, never silently dropped.</summary>
public sealed class CdrFindingsTests
{
    private static readonly string[] Day = ["report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--format", "csv,xlsx"];

    private static Dictionary<string, string?> Settings(string cs, params (string Key, string Value)[] extra)
    {
        var settings = CliRunner.Sqlite(cs);
        settings["CdrSource:Columns:Answered"] = "disposition";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public void SqlIdentifier_TrailingNewline_IsRefused()
    {
        var ex = Assert.Throws<InputException>(() => SqlIdentifier.Validate("route\n", "CdrSource:Columns:Route"));
        Assert.StartsWith("CdrSource:Columns:Route: 'route", ex.Message, StringComparison.Ordinal);
        SqlIdentifier.Validate("route", "CdrSource:Columns:Route");
    }

    [Fact]
    public async Task UnreadableStartTimes_AreCountedAndReported()
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), [
            "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, '1'",
            "'01/03/2026 10:00', 'acme', 'r1', 30, '1'",
            "'yesterday', 'acme', 'r1', 30, '1'",
            "NULL, 'acme', 'r1', 30, '1'",
            "'garbage', 'other', 'r1', 30, '1'",
        ]);

        var result = await CliRunner.RunAsync(Settings(cs), [.. Day, "--out", dir.Path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 attempts", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: 3 CDR rows of this carrier have a start time that cannot be read", result.Stderr, StringComparison.Ordinal);
        var manifest = await File.ReadAllTextAsync(Directory.GetFiles(dir.Path, "*.manifest.json").Single());
        Assert.Contains("\"unreadableStartRows\": 3", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsteriskDisposition_WithLists_CountsAnsweredAndReportsOthers()
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), [
            "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, 'ANSWERED'",
            "'2026-03-01T10:01:00Z', 'acme', 'r1', 0, 'NO ANSWER'",
            "'2026-03-01T10:02:00Z', 'acme', 'r1', 0, 'BUSY'",
            "'2026-03-01T10:03:00Z', 'acme', 'r1', 0, 'CONGESTION'",
        ]);
        var settings = Settings(cs,
            ("CdrSource:AnsweredValues:0", "answered"),
            ("CdrSource:NotAnsweredValues:0", "NO ANSWER"), ("CdrSource:NotAnsweredValues:1", "BUSY"), ("CdrSource:NotAnsweredValues:2", "FAILED"));

        var result = await CliRunner.RunAsync(settings, [.. Day, "--out", dir.Path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("4 attempts, 1 answered, ASR 25.00 %", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 CDR rows had an answer value outside the configured lists: 'CONGESTION'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsteriskDisposition_WithoutLists_IsReportedNotSilentlyZero()
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), [
            "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, 'ANSWERED'",
            "'2026-03-01T10:01:00Z', 'acme', 'r1', 0, 'NO ANSWER'",
            "'2026-03-01T10:02:00Z', 'acme', 'r1', 30, '1'",
        ]);

        var result = await CliRunner.RunAsync(Settings(cs), [.. Day, "--out", dir.Path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 attempts, 1 answered", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 CDR rows had an answer value outside the configured lists: 'ANSWERED', 'NO ANSWER'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CdrSource:NotAnsweredValues:0", "BUSY", "CdrSource:NotAnsweredValues: is set without CdrSource:AnsweredValues")]
    [InlineData("CdrSource:AnsweredValues:0", "ANS'WERED", "CdrSource:AnsweredValues:0: 'ANS'WERED' is not a plain value")]
    public async Task AnswerValueLists_BadSetting_NamesIt(string key, string value, string expected)
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), ["'2026-03-01T10:00:00Z', 'acme', 'r1', 30, 'ANSWERED'"]);

        var result = await CliRunner.RunAsync(Settings(cs, (key, value)), [.. Day, "--out", dir.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CarrierWithNoRowsAtAll_SaysSoAndSuggestsNearMatches()
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), [
            "'2026-02-01T10:00:00Z', 'acme', 'r1', 30, '1'",
            "'2026-02-01T10:00:00Z', 'acme2', 'r1', 30, '1'",
            "'2026-02-01T10:00:00Z', 'zeta', 'r1', 30, '1'",
        ]);

        var result = await CliRunner.RunAsync(Settings(cs), ["report", "--carrier", "ACME", .. Day[3..], "--out", dir.Path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: carrier 'ACME' has no rows at all in the CDR table; did you mean 'acme', 'acme2'?", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("zeta", result.Stderr, StringComparison.Ordinal);

        // A carrier that is in the table but quiet in this period is a normal empty report.
        var quiet = await CliRunner.RunAsync(Settings(cs), [.. Day, "--out", dir.Path]);
        Assert.Equal(0, quiet.ExitCode);
        Assert.DoesNotContain("no rows at all", quiet.Stderr + quiet.Stdout, StringComparison.Ordinal);
    }
}
