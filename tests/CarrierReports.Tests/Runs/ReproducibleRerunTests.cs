using CarrierReports.Tests.Storage;
using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Tests.Runs;

/// <summary>
/// A period re-run after a recipient change renders files byte-identical to the first run's (the report is generated
/// "at" the period's first fire time, not at the moment of the re-run), so the archive recognises them as the same
/// report instead of storing a revision that differs only in its generation time.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReproducibleRerunTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private Dictionary<string, string?> _settings = [];

    public async Task InitializeAsync()
    {
        var cdr = await pg.NewDatabaseAsync("rerun_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, CdrTestData.Generate(perHour: 3));
        _settings = PostgresRunSettings.Create(cdr, await pg.NewDatabaseAsync("rerun_service"), _dir.Path);
        Assert.Equal(0, (await CliRunner.RunAsync(_settings, "db", "migrate")).ExitCode);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RerunAfterRecipientChange_SameSha256ForPdfXlsxCsv_NoNewArchiveRevision()
    {
        var first = await CliRunner.RunAsync(_settings, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T06:00:00Z");
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        await Task.Delay(1100); // the clock moves on: a report stamped "now" would differ

        _settings["Subscriptions:0:Recipients:To:1"] = "new-noc@acme.example";
        var second = await CliRunner.RunAsync(_settings, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T07:30:00Z");
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);

        await using var c = new NpgsqlConnection(_settings["Database:ConnectionString"]);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT a.format, a.sha256, a.archive_path, r.run_id FROM cr_run_artifacts a JOIN cr_runs r USING (run_id)
            WHERE a.format IN ('pdf', 'xlsx', 'csv') ORDER BY r.started_at, a.format
            """, c);
        var rows = new List<(string Format, string Sha, string? Path, string Run)>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                rows.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3)));
            }
        }

        Assert.Equal(6, rows.Count);
        Assert.Equal(2, rows.Select(x => x.Run).Distinct().Count());
        foreach (var format in new[] { "pdf", "xlsx", "csv" })
        {
            var pair = rows.Where(x => x.Format == format).ToList();
            Assert.Equal(2, pair.Count);
            Assert.True(pair[0].Sha == pair[1].Sha, $"{format}: {pair[0].Sha} vs {pair[1].Sha}");
            Assert.Equal(pair[0].Path, pair[1].Path); // recognised as the same report: the archived entry is reused
        }

        // No second revision (-r2) of the period was stored.
        Assert.Empty(Directory.GetDirectories(_dir.PathOf("archive"), "*-r2", SearchOption.AllDirectories));
    }
}
