using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Tests.Storage;

/// <summary>
/// Schema creation is an explicit step ('db migrate', or serve at start): a role with SELECT rights only can read the
/// ledger, the archive and the audit trail, and a write gives an error naming the setting, the role and the right.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseRolesTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private string _cdr = "";
    private string _service = "";

    public async Task InitializeAsync()
    {
        _cdr = await pg.NewDatabaseAsync("roles_cdr");
        await CdrTable.Default.LoadPostgresAsync(_cdr, CdrTestData.Generate(perHour: 2));
        _service = await pg.NewDatabaseAsync("roles_service");
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReadOnlyRole_ReadsLedgerArchiveAuditAndHealth_AndAWriteNamesTheMissingRight()
    {
        var owner = PostgresRunSettings.Create(_cdr, _service, _dir.Path);
        var migrate = await CliRunner.RunAsync(owner, "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stdout + migrate.Stderr);
        Assert.Contains("cr_runs", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("cr_audit", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("cr_users", migrate.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(owner, "db", "migrate")).ExitCode); // idempotent
        var run = await CliRunner.RunAsync(owner, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T06:00:00Z");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);

        await using (var admin = new NpgsqlConnection(_service))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"""
                DROP ROLE IF EXISTS auditor_{admin.Database};
                CREATE ROLE auditor_{admin.Database} LOGIN PASSWORD 'auditor-pw';
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor_{admin.Database};
                """, admin);
            await cmd.ExecuteNonQueryAsync();
        }

        var role = $"auditor_{new NpgsqlConnectionStringBuilder(_service).Database}";
        var auditor = new Dictionary<string, string?>(owner)
        {
            ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(_service) { Username = role, Password = "auditor-pw" }.ConnectionString,
        };
        var list = await CliRunner.RunAsync(auditor, "runs", "list");
        Assert.True(list.ExitCode == 0, list.Stdout + list.Stderr);
        var runId = list.Stdout.Split('\n').Single(l => l.Contains("succeeded", StringComparison.Ordinal)).Split(' ')[0];
        var show = await CliRunner.RunAsync(auditor, "runs", "show", runId);
        Assert.True(show.ExitCode == 0, show.Stdout + show.Stderr);
        Assert.Contains(".pdf", show.Stdout, StringComparison.Ordinal);
        var verify = await CliRunner.RunAsync(auditor, "archive", "verify");
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        var audit = await CliRunner.RunAsync(auditor, "audit", "verify");
        Assert.True(audit.ExitCode == 0, audit.Stdout + audit.Stderr);
        var health = await CliRunner.RunAsync(auditor, "health");
        var ownerHealth = await CliRunner.RunAsync(owner, "health");
        // The same answer as the owner's (bar the measured latency).
        static string Shape(string text) => System.Text.RegularExpressions.Regex.Replace(text, "[0-9]+ ms", "n ms");
        Assert.True(health.ExitCode == ownerHealth.ExitCode && Shape(health.Stdout) == Shape(ownerHealth.Stdout), health.Stdout + health.Stderr + "\nowner:\n" + ownerHealth.Stdout);

        var write = await CliRunner.RunAsync(auditor, "run", "--subscription", "acme-daily", "--as-of", "2026-10-27T06:00:00Z");
        Assert.Equal(1, write.ExitCode);
        Assert.Matches($"error: Database:ConnectionString: the role '{role}' lacks INSERT, UPDATE, DELETE on cr_[a-z_]+ \\(42501", write.Stderr);
        var migrateAsAuditor = await CliRunner.RunAsync(auditor, "db", "migrate");
        Assert.Equal(1, migrateAsAuditor.ExitCode);
        Assert.Contains($"the role '{role}' lacks CREATE on schema public", migrateAsAuditor.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSchema_ACommandSaysSoAndNamesTheFix_WithoutCreatingIt()
    {
        var settings = PostgresRunSettings.Create(_cdr, _service, _dir.Path);
        var list = await CliRunner.RunAsync(settings, "runs", "list");
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("has no tables yet (cr_runs is missing): run 'db migrate' or start serve", list.Stderr, StringComparison.Ordinal);
        await using var admin = new NpgsqlConnection(_service);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT to_regclass('cr_runs') IS NULL", admin);
        Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
    }
}
