using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cdr;

/// <summary>Issue 9, finding 5: a report over Reports:MaxRoutes or Reports:MaxCells fails before the grid is built, naming the limit and the size.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportLimitsTests(PostgresFixture pg)
{
    private static IEnumerable<string> Rows(int routes) =>
        Enumerable.Range(0, routes).Select(i => $"'2026-03-01T{i % 24:00}:00:00Z', 'acme', 'route-{i:0000}', 30, '1'");

    [Fact]
    public async Task TooManyRoutes_Sqlite_FailsNamingTheSettingAndSize_AndWritesNothing()
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), Rows(250));
        var settings = CliRunner.Sqlite(cs);
        settings["Reports:MaxRoutes"] = "100";
        var outDir = Path.Combine(dir.Path, "out");

        var result = await CliRunner.RunAsync(settings, "report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--out", outDir);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Reports:MaxRoutes: the report has 250 routes; the limit Reports:MaxRoutes is 100 (narrow the period, or raise the setting)", result.Stderr.Trim());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task TooManyCells_Postgres_FailsNamingTheSettingAndSize()
    {
        var cs = await pg.NewDatabaseAsync("limits");
        await RawCdrTable.PostgresAsync(cs, Rows(60));
        var settings = CliRunner.Postgres(cs);
        settings["Reports:MaxCells"] = "1000";
        using var dir = new TempFolder();

        var result = await CliRunner.RunAsync(settings, "report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--bucket", "hour", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Reports:MaxCells: the report has 24 buckets × 60 routes = 1,440 cells; the limit Reports:MaxCells is 1,000 (use a larger bucket or a shorter period, or raise the setting)", result.Stderr.Trim());

        // The same data fits in daily buckets.
        var daily = await CliRunner.RunAsync(settings, "report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--out", dir.Path);
        Assert.Equal(0, daily.ExitCode);
    }

    [Theory]
    [InlineData("Reports:MaxRoutes", "0", "Reports:MaxRoutes: 0 is outside 1..10000000")]
    [InlineData("Reports:MaxCells", "-5", "Reports:MaxCells: -5 is outside 1..1000000000")]
    public async Task BadLimitSetting_IsNamed(string key, string value, string expected)
    {
        using var dir = new TempFolder();
        var cs = await RawCdrTable.SqliteAsync(Path.Combine(dir.Path, "cdr.db"), Rows(1));
        var settings = CliRunner.Sqlite(cs);
        settings[key] = value;

        var result = await CliRunner.RunAsync(settings, "report", "--carrier", "acme", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UsesCheckedLongArithmetic()
    {
        var limits = new CarrierReports.Reports.ReportLimits { MaxRoutes = int.MaxValue, MaxCells = long.MaxValue };
        // 2^31-1 routes × 100,000 buckets overflows an int; as a long it is a plain (allowed) number.
        limits.Check(int.MaxValue, 100_000);
        var tight = new CarrierReports.Reports.ReportLimits();
        var ex = Assert.Throws<InputException>(() => tight.Check(5_000, 100_000));
        Assert.Contains("500,000,000 cells", ex.Message, StringComparison.Ordinal);
    }
}
