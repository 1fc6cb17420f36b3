using System.Data.Common;
using CarrierReports.Access;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CarrierReports.Tests.Storage;

/// <summary>
/// <c>cr_subscriptions.carrier</c> on a database made before it existed: the migration adds and fills it, writes keep
/// it, and a scoped list read through it still shows exactly the scope's subscriptions, including a row written
/// without the column (as an older node or a bulk load would).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionCarrierColumnTests(PostgresFixture pg)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task OldDatabase_MigrationFillsTheColumn_ScopedPagesReadThroughIt(string provider)
    {
        using var dir = new TempFolder();
        var connectionString = provider == "Postgres" ? await pg.NewDatabaseAsync("carriercol") : $"Data Source={dir.PathOf("service.db")}";
        // The table as the previous release made it, with two subscriptions of carriers 544 and 545 and one bad row.
        await using (var old = await OpenRawAsync(provider, connectionString))
        {
            await ExecAsync(old, $"CREATE TABLE cr_subscriptions (id text PRIMARY KEY, definition text NOT NULL, updated_at {(provider == "Postgres" ? "timestamptz" : "text")} NOT NULL)");
            await ExecAsync(old, $"INSERT INTO cr_subscriptions VALUES ('old-544', '{Definition("old-544", "544")}', '2026-01-01 00:00:00'), ('old-545', '{Definition("old-545", "545")}', '2026-01-01 00:00:00'), ('old-bad', '{{ not json', '2026-01-01 00:00:00')");
        }

        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
            ["SubscriptionSources:Folder"] = dir.PathOf("none"),
        };
        using var host = AppHost.CreateBuilder(null, settings, LogLevel.Warning).Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None); // again: nothing to do
        Assert.Equal(new[] { "old-544:544", "old-545:545", "old-bad:" }, await ColumnAsync(host.Services));

        // Remove the bad row (it would fail every list), write through the catalog, and add a row without the column.
        await using (var db = await host.Services.GetRequiredService<ServiceDatabase>().OpenAsync(CancellationToken.None))
        {
            await ExecAsync(db, "DELETE FROM cr_subscriptions WHERE id = 'old-bad'");
            await ExecAsync(db, $"INSERT INTO cr_subscriptions (id, definition, updated_at) VALUES ('raw-544', '{Definition("raw-544", "544")}', '2026-01-01 00:00:00')");
        }

        var catalog = host.Services.GetRequiredService<SubscriptionCatalog>();
        await catalog.SaveAsync(System.Text.Json.JsonSerializer.Deserialize<SubscriptionDefinition>(Definition("new-545", "545"), SubscriptionCatalog.Json)!, CancellationToken.None);
        var moved = System.Text.Json.JsonSerializer.Deserialize<SubscriptionDefinition>(Definition("old-545", "544"), SubscriptionCatalog.Json)!;
        await catalog.SaveAsync(moved, CancellationToken.None); // moved to carrier 544: the column follows
        Assert.Equal(new[] { "new-545:545", "old-544:544", "old-545:544", "raw-544:" }, await ColumnAsync(host.Services));

        var store = host.Services.GetRequiredService<SubscriptionStore>();
        (string Carriers, string[] Expected)[] cases = [("544", ["old-544", "old-545", "raw-544"]), ("545", ["new-545"]), ("546", [])];
        foreach (var (carriers, expected) in cases)
        {
            var scope = CarrierScope.Of(carriers.Split(','));
            var seen = new List<string>();
            string? after = null;
            bool more;
            do
            {
                (var page, more) = await store.PageAsync(s => scope.Allows(s.Carrier), after, 1, SubscriptionStore.CarriersToRead(scope, null), CancellationToken.None);
                seen.AddRange(page.Select(s => s.Subscription.Id));
                after = seen.LastOrDefault();
            }
            while (more);

            Assert.Equal(expected, seen);
            Assert.Equal(expected.Length == 0 ? Array.Empty<string>() : new[] { carriers }, await store.CarriersAsync(scope, CancellationToken.None));
        }

        Assert.Equal(new[] { "544", "545" }, await store.CarriersAsync(CarrierScope.All, CancellationToken.None));
    }

    private static string Definition(string id, string carrier) =>
        $$"""{ "Id": "{{id}}", "Carrier": "{{carrier}}", "TimeZone": "UTC", "Cadence": "hourly", "Recipients": { "To": ["noc@acme.example"] } }""";

    private static async Task<List<string>> ColumnAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, carrier FROM cr_subscriptions ORDER BY id";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)}:{(reader.IsDBNull(1) ? "" : reader.GetString(1))}");
        }

        return rows;
    }

    private static async Task<DbConnection> OpenRawAsync(string provider, string connectionString)
    {
        DbConnection connection = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
