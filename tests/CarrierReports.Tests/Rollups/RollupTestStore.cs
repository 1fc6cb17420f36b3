using System.Globalization;
using CarrierReports.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CarrierReports.Tests.Rollups;

/// <summary>
/// A CDR table and a service database on one provider (PostgreSQL or SQLite), filled with <see cref="CdrTestData"/>,
/// and the real command line run against them with rollups on or off and a clock the test moves.
/// </summary>
public sealed class RollupTestStore : IAsyncDisposable
{
    private readonly TempFolder _dir = new();
    private Dictionary<string, string?> _settings = [];
    private string _cdr = "";

    public bool IsPostgres { get; private init; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static async Task<RollupTestStore> CreateAsync(PostgresFixture pg, string provider)
    {
        var store = new RollupTestStore { IsPostgres = provider == "postgres" };
        var rows = CdrTestData.Generate();
        if (store.IsPostgres)
        {
            store._cdr = await pg.NewDatabaseAsync("rollup_cdr");
            await CdrTable.Default.LoadPostgresAsync(store._cdr, rows);
            store._settings = CliRunner.Postgres(store._cdr);
            store._settings["Database:Provider"] = "Postgres";
            store._settings["Database:ConnectionString"] = await pg.NewDatabaseAsync("rollup_svc");
        }
        else
        {
            store._cdr = await CdrTable.Default.LoadSqliteAsync(Path.Combine(store._dir.Path, "cdr.db"), rows);
            store._settings = CliRunner.Sqlite(store._cdr);
            store._settings["Database:ConnectionString"] = $"Data Source={Path.Combine(store._dir.Path, "service.db")}";
        }

        store._settings["Rollups:ChunkDays"] = "10";
        // As an operator would: the service tables first (on PostgreSQL only 'db migrate' or serve creates them).
        var migrate = await store.RunAnyAsync(new Dictionary<string, string?>(), "db", "migrate");
        Assert.True(migrate.ExitCode == 0, "db migrate: " + migrate.Stderr);
        return store;
    }

    public string CdrConnectionString => _cdr;

    public string ServiceConnectionString => _settings["Database:ConnectionString"]!;

    /// <summary>Runs a command with <c>Rollups:Enabled</c> as given; fails the test on a non-zero exit.</summary>
    public async Task<CliResult> RunAsync(bool rollups, params string[] args)
    {
        var result = await RunAnyAsync(new Dictionary<string, string?> { ["Rollups:Enabled"] = rollups ? "true" : "false" }, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
        return result;
    }

    /// <summary>Runs a command with extra settings, whatever its exit code.</summary>
    public async Task<CliResult> RunAnyAsync(IReadOnlyDictionary<string, string?> extra, params string[] args)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, settings, services => services.AddSingleton<TimeProvider>(Clock));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The report's CSV text and its warning lines (negative durations and other notes).</summary>
    public async Task<string> ReportAsync(bool rollups, ReportCase c)
    {
        using var outDir = new TempFolder();
        var result = await RunAsync(rollups, "report", "--carrier", c.Carrier, "--from", c.From, "--to", c.To, "--tz", c.Zone, "--bucket", c.Bucket, "--format", "csv", "--out", outDir.Path);
        var csv = await File.ReadAllTextAsync(Assert.Single(outDir.Files($"*_{c.Bucket}.csv")));
        var notes = result.Stdout.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase) || l.Contains("note", StringComparison.OrdinalIgnoreCase) || l.Contains("No CDRs", StringComparison.Ordinal));
        return csv + "\n--\n" + string.Join("\n", notes.Select(n => n.Replace(outDir.Path, "", StringComparison.Ordinal)));
    }

    /// <summary>Runs SQL against the CDR table (inserting late rows, re-rating).</summary>
    public async Task ExecuteCdrAsync(string sql)
    {
        if (IsPostgres)
        {
            await using var connection = new NpgsqlConnection(_cdr);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, connection);
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = new SqliteConnection(_cdr);
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A start-time literal in the table's encoding (timestamptz in PostgreSQL, Unix seconds in SQLite).</summary>
    public string Start(DateTimeOffset t) => IsPostgres
        ? $"'{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)}Z'::timestamptz"
        : t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The start column as comparable to <see cref="Start"/> (SQLite rows hold either encoding).</summary>
    public string StartColumn => IsPostgres ? "start_time" : "(CASE typeof(start_time) WHEN 'text' THEN unixepoch(start_time) ELSE start_time END)";

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>One report: carrier, local range in the zone, bucket.</summary>
public sealed record ReportCase(string Carrier, string Zone, string From, string To, string Bucket)
{
    public override string ToString() => $"{Carrier} {Zone} {From}..{To} {Bucket}";
}
