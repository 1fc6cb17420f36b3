namespace CarrierReports.Tests.Support;

/// <summary>One private PostgreSQL cluster for the whole test run; each test class makes its own database in it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _databases;

    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public Task<string> NewDatabaseAsync(string prefix) =>
        Cluster.CreateDatabaseAsync($"{prefix}_{Interlocked.Increment(ref _databases)}");
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
