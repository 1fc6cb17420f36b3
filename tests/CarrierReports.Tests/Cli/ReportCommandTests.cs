using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cli;

/// <summary>
/// The report command against a real PostgreSQL, checked line by line against an independent computation
/// (<see cref="IndependentAsr"/>), and SQLite checked against PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportCommandTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly IReadOnlyList<TestCdr> Rows = CdrTestData.Generate();
    private string _cs = "";
    private readonly TempFolder _sqliteDir = new();
    private string _sqliteCs = "";

    public async Task InitializeAsync()
    {
        _cs = await pg.NewDatabaseAsync("report");
        await CdrTable.Default.LoadPostgresAsync(_cs, Rows);
        _sqliteCs = await CdrTable.Default.LoadSqliteAsync(System.IO.Path.Combine(_sqliteDir.Path, "cdr.db"), Rows);
    }

    public Task DisposeAsync()
    {
        _sqliteDir.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // zone, local from, local to, bucket
        { "Europe/London", "2026-03-01", "2026-04-01", "day" },          // March with the 23-hour day
        { "Europe/London", "2026-03-29", "2026-03-30", "hour" },         // spring forward: 23 buckets
        { "Europe/London", "2026-10-25", "2026-10-26", "hour" },         // fall back: 25 buckets, 01:00 twice
        { "America/New_York", "2026-03-08", "2026-03-09", "hour" },
        { "America/New_York", "2026-10-31", "2026-11-03", "hour" },
        { "America/New_York", "2026-10-22", "2026-11-04", "day" },
        { "Asia/Kolkata", "2026-03-10", "2026-03-12", "hour" },          // +05:30
        { "Asia/Kathmandu", "2026-03-10", "2026-03-12", "hour" },        // +05:45
        { "Europe/London", "2026-01-01", "2027-01-01", "month" },
        { "Australia/Lord_Howe", "2026-04-04", "2026-04-06", "hour" },   // 30-minute DST shift
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_Postgres_MatchesIndependentComputation(string zone, string from, string to, string bucket)
    {
        var actual = await RunReportAsync(CliRunner.Postgres(_cs), zone, from, to, bucket);
        var expected = await IndependentAsr.ExpectedCsvAsync(_cs, 1, zone, DateTime.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTime.Parse(to, System.Globalization.CultureInfo.InvariantCulture), bucket);

        Assert.True(expected.Count > 1, "the independent computation found no rows: the test data does not cover this case");
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_Sqlite_GivesTheSameCsvAsPostgres(string zone, string from, string to, string bucket)
    {
        var postgres = await RunReportAsync(CliRunner.Postgres(_cs), zone, from, to, bucket);
        var sqlite = await RunReportAsync(CliRunner.Sqlite(_sqliteCs), zone, from, to, bucket);
        Assert.Equal(postgres, sqlite);
    }

    [Fact]
    public async Task Report_FallBackDay_HasTwoOneOClockBucketsToldApartByOffset()
    {
        var lines = await RunReportAsync(CliRunner.Postgres(_cs), "Europe/London", "2026-10-25", "2026-10-26", "hour");
        var starts = lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().ToList();
        Assert.Equal(25, starts.Count);
        Assert.Contains("2026-10-25T01:00:00+01:00", starts);
        Assert.Contains("2026-10-25T01:00:00+00:00", starts);
    }

    [Fact]
    public async Task Report_SpringForwardDay_Has23HourlyBuckets()
    {
        var lines = await RunReportAsync(CliRunner.Postgres(_cs), "Europe/London", "2026-03-29", "2026-03-30", "hour");
        var starts = lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().ToList();
        Assert.Equal(23, starts.Count);
        Assert.DoesNotContain(starts, s => s.StartsWith("2026-03-29T01:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_RouteThatNeverAnswers_HasZeroAsrAndEmptyAcd()
    {
        var lines = await RunReportAsync(CliRunner.Postgres(_cs), "UTC", "2026-03-01", "2026-03-02", "day");
        var dead = Assert.Single(lines, l => l.Contains(",dead-route,", StringComparison.Ordinal));
        var f = dead.Split(',');
        Assert.NotEqual("0", f[2]);
        Assert.Equal(["0", "0.0000", "", "0.0000"], f[3..]);
    }

    [Fact]
    public async Task Report_CdrsWithoutRoute_AreReportedAsNone()
    {
        var lines = await RunReportAsync(CliRunner.Postgres(_cs), "UTC", "2026-03-01", "2026-03-02", "day");
        Assert.Single(lines, l => l.Split(',')[1] == "(none)");
    }

    [Fact]
    public async Task Report_RouteNamedLikeAFormula_IsNeutralisedInCsv()
    {
        var lines = await RunReportAsync(CliRunner.Postgres(_cs), "UTC", "2026-03-01", "2026-03-02", "day");
        Assert.Contains(lines, l => l.Contains(",'=cmd|' /C calc'!A0,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",\"route,with \"\"quotes\"\"\",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_CarrierWithoutCdrs_IsAValidEmptyReport()
    {
        using var outDir = new TempFolder();
        var result = await CliRunner.RunAsync(CliRunner.Postgres(_cs), "report", "--carrier", "999", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--out", outDir.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No CDRs for this carrier in this period", result.Stdout, StringComparison.Ordinal);
        var csv = Assert.Single(outDir.Files("*_day.csv"));
        Assert.Equal(["bucket_start,route,attempts,answered,asr_pct,acd_sec,minutes"], await File.ReadAllLinesAsync(csv));
    }

    [Fact]
    public async Task Report_StatesZoneAndExactUtcBounds()
    {
        using var outDir = new TempFolder();
        var result = await CliRunner.RunAsync(CliRunner.Postgres(_cs), "report", "--carrier", "1", "--range", "2026-03-29..2026-03-30", "--tz", "Europe/London", "--bucket", "hour", "--out", outDir.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Europe/London", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2026-03-29T00:00:00Z to 2026-03-29T23:00:00Z", result.Stdout, StringComparison.Ordinal);
        var manifest = await File.ReadAllTextAsync(Assert.Single(outDir.Files("*.manifest.json")));
        Assert.Contains("\"utcTo\": \"2026-03-29T23:00:00Z\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_NegativeDurations_AreAttemptsNotAnsweredAndAreCounted()
    {
        var negatives = Rows.Count(r => r.Carrier == 1 && r.Duration < 0 && r.Start >= new DateTimeOffset(2026, 2, 25, 0, 0, 0, TimeSpan.Zero) && r.Start < new DateTimeOffset(2026, 4, 3, 0, 0, 0, TimeSpan.Zero));
        Assert.True(negatives > 0, "the test data should hold negative durations");
        using var outDir = new TempFolder();
        var result = await CliRunner.RunAsync(CliRunner.Postgres(_cs), "report", "--carrier", "1", "--from", "2026-02-25", "--to", "2026-04-03", "--tz", "UTC", "--out", outDir.Path);
        Assert.Contains($"warning {negatives} CDR rows have a negative duration", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<string>> RunReportAsync(Dictionary<string, string?> settings, string zone, string from, string to, string bucket)
    {
        using var outDir = new TempFolder();
        var result = await CliRunner.RunAsync(settings, "report", "--carrier", "1", "--from", from, "--to", to, "--tz", zone, "--bucket", bucket, "--format", "csv", "--out", outDir.Path);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var csv = Assert.Single(outDir.Files($"*_{bucket}.csv"));
        return await File.ReadAllLinesAsync(csv);
    }
}
