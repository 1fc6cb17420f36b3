using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cdr;

/// <summary>
/// Issue 9, "Also": hostile CDR rows (NULLs in every column, garbage text, huge and negative durations, far-future and
/// ancient dates, odd route names). Each gives a report in which the row is counted or its problem is said, or one clear
/// error naming the column; never a crash, a stack trace or a silently dropped row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileCdrRowsTests(PostgresFixture pg)
{
    private const string Good = "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, '1'";

    /// <param name="Rows">Value tuples in (start_time, carrier_id, provider_card_id, duration, disposition) order.</param>
    /// <param name="Expected">Text that must appear in stdout or stderr.</param>
    /// <param name="ExitCode">0 for a report; 2 for an error naming the column.</param>
    public sealed record Case(string Name, string[] Rows, string Expected, int ExitCode = 0)
    {
        public override string ToString() => Name;
    }

    private static Case Row(string name, string row, string expected, int exitCode = 0) => new(name, [row], expected, exitCode);

    private static readonly string[] TwoHugeDurations =
        ["'2026-03-01T10:00:00Z', 'acme', 'r1', 9000000000000000000, '1'", "'2026-03-01T11:00:00Z', 'acme', 'r1', 9000000000000000000, '1'"];

    /// <summary>Cases whose SQL literals mean the same in SQLite and PostgreSQL.</summary>
    private static readonly Case[] Shared =
    [
        Row("null start", "NULL, 'acme', 'r1', 30, '1'", "1 CDR rows of this carrier have a start time that cannot be read"),
        Row("null carrier", "'2026-03-01T10:00:00Z', NULL, 'r1', 30, '1'", "carrier 'acme' has no rows at all in the CDR table; check the carrier id"),
        Row("carrier differs in case", "'2026-03-01T10:00:00Z', 'ACME', 'r1', 30, '1'", "did you mean 'ACME'?"),
        Row("carrier with trailing space", "'2026-03-01T10:00:00Z', 'acme ', 'r1', 30, '1'", "did you mean 'acme '?"),
        Row("null route", "'2026-03-01T10:00:00Z', 'acme', NULL, 30, '1'", "1 attempts, 1 answered"),
        Row("null duration", "'2026-03-01T10:00:00Z', 'acme', 'r1', NULL, '1'", "1 attempts, 1 answered"),
        Row("null answer value", "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, NULL", "1 CDR rows had an answer value outside the configured lists: (null)"),
        Row("garbage answer value", "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, 'maybe?'", "outside the configured lists: 'maybe?'"),
        Row("answer value with spaces and case", "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, ' Yes '", "1 attempts, 1 answered"),
        Row("duration above int", "'2026-03-01T10:00:00Z', 'acme', 'r1', 5000000000, '1'", "83,333,333.3 min"),
        Row("negative duration", "'2026-03-01T10:00:00Z', 'acme', 'r1', -5, '1'", "1 CDR rows have a negative duration"),
        Row("huge negative duration", "'2026-03-01T10:00:00Z', 'acme', 'r1', -9000000000000000000, '1'", "1 attempts, 0 answered"),
        Row("far-future start", "'9999-12-31T23:59:59Z', 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
        Row("ancient start", "'0001-01-01T00:00:00Z', 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
        Row("start with offset", "'2026-03-01T23:30:00-05:00', 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
        Row("route with line break", "'2026-03-01T10:00:00Z', 'acme', 'r' || chr(10) || '1', 30, '1'", "1 attempts, 1 answered"),
        Row("route with emoji and RTL text", "'2026-03-01T10:00:00Z', 'acme', 'ルート🚀 مسار', 30, '1'", "1 attempts, 1 answered"),
        Row("route that is a formula", "'2026-03-01T10:00:00Z', 'acme', '=cmd|'' /C calc''!A0', 30, '0'", "1 attempts, 0 answered"),
        Row("very long route", $"'2026-03-01T10:00:00Z', 'acme', '{new string('x', 5000)}', 30, '1'", "1 attempts, 1 answered"),
        new("every column NULL", ["NULL, NULL, NULL, NULL, NULL", Good], "1 attempts, 1 answered"),
    ];

    /// <summary>Values only SQLite can hold in these columns (its columns take any type).</summary>
    private static readonly Case[] SqliteOnly =
    [
        Row("start not ISO-8601", "'01/03/2026 10:00', 'acme', 'r1', 30, '1'", "1 CDR rows of this carrier have a start time that cannot be read"),
        Row("start is a word", "'yesterday', 'acme', 'r1', 30, '1'", "1 CDR rows of this carrier have a start time that cannot be read"),
        Row("start is a blob", "X'00FF', 'acme', 'r1', 30, '1'", "1 CDR rows of this carrier have a start time that cannot be read"),
        Row("start as Unix seconds", "1772359200, 'acme', 'r1', 30, '1'", "1 attempts, 1 answered"),
        Row("start as fractional Unix seconds", "1772359200.75, 'acme', 'r1', 30, '1'", "1 attempts, 1 answered"),
        Row("start as huge number", "1e300, 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
        Row("duration is text", "'2026-03-01T10:00:00Z', 'acme', 'r1', 'abc', '0'", "1 attempts, 0 answered"),
        Row("duration is fractional", "'2026-03-01T10:00:00Z', 'acme', 'r1', 90.5, '1'", "ACD 90.5 s"),
        Row("route is invalid UTF-8", "'2026-03-01T10:00:00Z', 'acme', CAST(X'FFFE41' AS TEXT), 30, '1'", "1 attempts, 1 answered"),
        new("two durations summing past 64 bits", TwoHugeDurations, "error: CdrSource:Columns:Duration: the sum of durations", ExitCode: 2),
        Row("answer value is a number", "'2026-03-01T10:00:00Z', 'acme', 'r1', 30, 1", "1 attempts, 1 answered"),
    ];

    /// <summary>Values only PostgreSQL has.</summary>
    private static readonly Case[] PostgresOnly =
    [
        new("two durations summing past 64 bits", TwoHugeDurations, "2 attempts, 2 answered"),
        Row("start is infinity", "'infinity', 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
        Row("start is -infinity", "'-infinity', 'acme', 'r1', 30, '1'", "No CDRs for this carrier in this period"),
    ];

    public static TheoryData<Case> SqliteCases => [.. Shared, .. SqliteOnly];

    public static TheoryData<Case> PostgresCases => [.. Shared, .. PostgresOnly];

    private static readonly string[] Args = ["report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--format", "csv,xlsx"];

    [Theory]
    [MemberData(nameof(SqliteCases))]
    public async Task Sqlite(Case c)
    {
        using var dir = new TempFolder();
        // SQLite has no chr(); char() is its spelling.
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), c.Rows.Select(r => r.Replace("chr(10)", "char(10)", StringComparison.Ordinal)));
        await AssertOutcomeAsync(c, CliRunner.Sqlite(cs), dir.Path);
    }

    [Theory]
    [MemberData(nameof(PostgresCases))]
    public async Task Postgres(Case c)
    {
        var cs = await pg.NewDatabaseAsync("hostile");
        await RawCdrTable.PostgresAsync(cs, c.Rows);
        using var dir = new TempFolder();
        await AssertOutcomeAsync(c, CliRunner.Postgres(cs), dir.Path);
    }

    private static async Task AssertOutcomeAsync(Case c, Dictionary<string, string?> settings, string outDir)
    {
        settings["CdrSource:Columns:Answered"] = "disposition";
        outDir = Path.Combine(outDir, "out");
        var result = await CliRunner.RunAsync(settings, [.. Args, "--out", outDir]);

        var output = result.Stdout + result.Stderr;
        Assert.True(result.ExitCode == c.ExitCode, $"exit {result.ExitCode}, expected {c.ExitCode}: {output}");
        Assert.Contains(c.Expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        if (c.ExitCode == 0)
        {
            Assert.Equal(4, Directory.GetFiles(outDir).Length); // csv, totals, xlsx, manifest
        }
        else
        {
            Assert.False(Directory.Exists(outDir));
        }
    }
}
