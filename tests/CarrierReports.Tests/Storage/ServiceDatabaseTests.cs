using CarrierReports.Cdr;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Dapper;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Storage;

/// <summary>The service database's schema, on both providers: created on first use, and again without harm.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServiceDatabaseTests(PostgresFixture pg) : IDisposable
{
    private static readonly string[] Tables = ["cr_deliveries", "cr_run_artifacts", "cr_runs", "cr_subscriptions"];
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ServiceDatabase Open(CdrProvider provider, string connectionString) =>
        new(Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }));

    [Fact]
    public async Task Sqlite_SchemaCreatedTwice_KeepsItsRows() =>
        await SchemaTwiceAsync(CdrProvider.Sqlite, $"Data Source={Path.Combine(_dir.Path, "sub", "service.db")}",
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cr_%' ORDER BY name");

    [Fact]
    public async Task Postgres_SchemaCreatedTwice_KeepsItsRows() =>
        await SchemaTwiceAsync(CdrProvider.Postgres, await pg.NewDatabaseAsync("storage_schema"),
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'cr\\_%' ORDER BY table_name");

    private static async Task SchemaTwiceAsync(CdrProvider provider, string connectionString, string listTables)
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        await using (var first = Open(provider, connectionString))
        {
            await new SchemaMigrator(first, [new ServiceSchemaPart(first)], Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
            await new SubscriptionTable(first).UpsertAsync("acme", "{}", now, CancellationToken.None);
        }

        await using var second = Open(provider, connectionString);
        await using (var connection = await second.OpenAsync(CancellationToken.None))
        {
            // A second node, or a restart, creates the schema again over the existing one.
            await ServiceSchema.CreateAsync(connection, provider == CdrProvider.Postgres, CancellationToken.None);
            Assert.Equal(Tables, await connection.QueryAsync<string>(listTables));
        }

        var rows = await new SubscriptionTable(second).ListAsync(CancellationToken.None);
        Assert.Equal("acme", Assert.Single(rows).Id);
        await second.PingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Sqlite_DeliveryRow_RoundTripsInstantsAsUtc()
    {
        await using var db = Open(CdrProvider.Sqlite, $"Data Source={Path.Combine(_dir.Path, "deliveries.db")}");
        var table = new DeliveryTable(db);
        var from = new DateTime(2026, 10, 25, 23, 0, 0, DateTimeKind.Utc);
        var row = new DeliveryRow
        {
            SubscriptionId = "acme", PeriodFrom = from, PeriodTo = from.AddDays(1), Recipient = "noc@acme.example", Kind = "to",
            MessageId = "<m@x>", Outcome = "failed", Attempts = 1, RunId = "run-1", UpdatedAt = from.AddDays(1).AddMinutes(5),
        };
        await table.UpsertAsync(row, CancellationToken.None);
        row.Outcome = DeliveryTable.Delivered;
        await table.UpsertAsync(row, CancellationToken.None);
        row.Outcome = "failed";
        await table.UpsertAsync(row, CancellationToken.None); // a delivered row is final

        var read = Assert.Single(await table.ListAsync("acme", from, from.AddDays(1), CancellationToken.None));
        Assert.Equal(DeliveryTable.Delivered, read.Outcome);
        Assert.Equal(2, read.Attempts);
        Assert.Equal(from, Instants.FromDb(read.PeriodFrom).UtcDateTime);
        Assert.Equal(from.AddDays(1).AddMinutes(5), Instants.FromDb(read.UpdatedAt).UtcDateTime);
    }
}
