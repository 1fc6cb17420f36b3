using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cli;

/// <summary>Every kind of bad input gets one line naming the flag or setting, exit code 2 and no stack trace.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportCommandInputTests(PostgresFixture pg) : IAsyncLifetime
{
    private string _cs = "";

    public async Task InitializeAsync()
    {
        _cs = await pg.NewDatabaseAsync("inputs");
        await CdrTable.Default.LoadPostgresAsync(_cs, CdrTestData.Generate(perHour: 1));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Good = ["report", "--carrier", "1", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC"];

    private static string[] With(string flag, string value)
    {
        var args = Good.ToList();
        var i = args.IndexOf(flag);
        if (i >= 0)
        {
            args[i + 1] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }

        return [.. args];
    }

    public static TheoryData<string[], string> BadFlags => new()
    {
        { With("--tz", "Mars/Olympus_Mons"), "--tz: 'Mars/Olympus_Mons' is not a known IANA time zone" },
        { With("--bucket", "week"), "--bucket: 'week' is not a bucket" },
        { With("--to", "2026-03-01"), "--to: '2026-03-01'" },
        { With("--from", "yesterdayish"), "--from: 'yesterdayish' is not a time" },
        { ["report", "--carrier", "1", "--range", "previous-fortnight", "--tz", "UTC"], "--range: 'previous-fortnight' is not a range" },
        { ["report", "--carrier", "1", "--range", "now..now-1d", "--tz", "UTC"], "--range: 'now..now-1d' starts at" },
        { With("--format", "docx"), "--format: 'docx' is not a format" },
        { With("--colour", "red"), "--colour: is not an option of 'report'" },
        { ["report", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "UTC"], "--carrier: is required" },
        { ["report", "--carrier", "1", "--tz", "UTC"], "--range: is required" },
        { With("--carrier", "abc"), "carrier: 'abc' is not a whole number, but the carrier column 'carrier_id' is numeric" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public async Task Report_BadFlag_OneLineNamingTheFlag(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(CliRunner.Postgres(_cs), args);
        AssertOneLineError(result, expected);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "CdrSource:Table", "calls", "CdrSource:Table: table or view 'calls' does not exist" },
        { "CdrSource:Columns:Route", "rate_card", "CdrSource:Columns:Route: column 'rate_card' does not exist in cdr (it has: id, start_time" },
        { "CdrSource:Columns:Route", "provider_card_id\"; DROP TABLE cdr; --", "CdrSource:Columns:Route: 'provider_card_id\"; DROP TABLE cdr; --' is not a plain identifier" },
        { "CdrSource:Table", "cdr;DELETE FROM cdr", "CdrSource:Table: 'cdr;DELETE FROM cdr' is not a plain identifier" },
        { "CdrSource:Columns:Duration", "provider_card_id", "CdrSource:Columns:Duration: column 'provider_card_id' in cdr is text, expected number" },
        { "CdrSource:Provider", "Oracle", "CdrSource:Provider" },
        { "CdrSource:CommandTimeoutSeconds", "0", "CdrSource:CommandTimeoutSeconds: 0 is outside 1..86400" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Report_BadSetting_OneLineNamingTheSetting(string key, string value, string expected)
    {
        var settings = CliRunner.Postgres(_cs);
        settings[key] = value;
        var result = await CliRunner.RunAsync(settings, Good);
        AssertOneLineError(result, expected);
    }

    [Fact]
    public async Task Report_InjectionAttempt_LeavesTheTableIntact()
    {
        var settings = CliRunner.Postgres(_cs);
        settings["CdrSource:Columns:Route"] = "provider_card_id\"; DROP TABLE cdr; --";
        await CliRunner.RunAsync(settings, Good);
        using var outDir = new TempFolder();
        var ok = await CliRunner.RunAsync(CliRunner.Postgres(_cs), [.. Good, "--out", outDir.PathOf("new-folder")]);
        Assert.Equal(0, ok.ExitCode);
    }

    [Fact]
    public async Task Report_UnreachableDatabase_NamesTheConnectionString()
    {
        var result = await CliRunner.RunAsync(CliRunner.Postgres("Host=127.0.0.1;Port=1;Database=x;Username=postgres;Timeout=3"), Good);
        AssertOneLineError(result, "CdrSource:ConnectionString: cannot connect to PostgreSQL at 127.0.0.1:1");
    }

    [Fact]
    public async Task Report_MissingSqliteFile_NamesTheConnectionString()
    {
        var result = await CliRunner.RunAsync(CliRunner.Sqlite("Data Source=/nonexistent/cdr.db"), Good);
        AssertOneLineError(result, "CdrSource:ConnectionString: SQLite file '/nonexistent/cdr.db' does not exist");
    }

    [Fact]
    public async Task Report_ColumnsMappedByEnvironmentVariables_MatchIndependentComputation()
    {
        // A table of the user's own shape: other column names, text carrier ids, in its own schema.
        var rows = CdrTestData.Generate(seed: 11, perHour: 6);
        await using (var connection = new Npgsql.NpgsqlConnection(_cs))
        {
            await connection.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("CREATE SCHEMA switch", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        await new CdrTable("switch.calls") { StartTime = "started_at", Carrier = "customer_id", Route = "rate_card", Duration = "billsec", SipCode = "disposition", CarrierType = "text" }.LoadPostgresAsync(_cs, rows);
        using var outDir = new TempFolder();
        var env = new Dictionary<string, string?>
        {
            ["CdrSource__Provider"] = "Postgres",
            ["CdrSource__ConnectionString"] = _cs,
            ["CdrSource__Table"] = "switch.calls",
            ["CdrSource__Columns__StartTime"] = "started_at",
            ["CdrSource__Columns__Carrier"] = "customer_id",
            ["CdrSource__Columns__Route"] = "rate_card",
            ["CdrSource__Columns__Duration"] = "billsec",
        };
        var result = await AppProcess.RunAsync(env, outDir.Path, "report", "--carrier", "1", "--from", "2026-10-24", "--to", "2026-10-27", "--tz", "Europe/London", "--bucket", "hour", "--out", ".");
        Assert.True(result.ExitCode == 0, result.Stderr);

        // The independent query reads the same rows through a view with the default names.
        await using (var connection = new Npgsql.NpgsqlConnection(_cs))
        {
            await connection.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("CREATE VIEW calls_std AS SELECT started_at AS start_time, customer_id::bigint AS carrier_id, rate_card AS provider_card_id, billsec AS duration FROM switch.calls", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        var expected = await IndependentAsr.ExpectedCsvAsync(_cs, 1, "Europe/London", new DateTime(2026, 10, 24), new DateTime(2026, 10, 27), "hour", "calls_std");
        var actual = await File.ReadAllLinesAsync(Assert.Single(outDir.Files("*_hour.csv")));
        Assert.True(expected.Count > 70);
        Assert.Equal(expected, actual);
    }

    private static void AssertOneLineError(CliResult result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
