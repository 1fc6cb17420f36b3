using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Identity;

/// <summary>
/// The identity and audit services over a real service database: a fresh PostgreSQL database of the test cluster, or
/// a SQLite file in a temp folder. The clock is a <see cref="FakeTimeProvider"/> so lockouts and expiries can elapse.
/// </summary>
public sealed class IdentityTestDb : IAsyncDisposable
{
    public const string Postgres = "Postgres";
    public const string Sqlite = "Sqlite";

    private readonly ServiceProvider _services;
    private readonly string? _folder;

    private IdentityTestDb(Dictionary<string, string?> settings, string? folder, Action<IServiceCollection>? configure)
    {
        _folder = folder;
        Settings = settings;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddServiceDatabase();
        configure?.Invoke(services);
        services.AddIdentityStore();
        services.AddAudit();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));

    /// <summary>The settings the database was made with, for a second provider or a CLI host over the same database.</summary>
    public Dictionary<string, string?> Settings { get; }

    public static async Task<IdentityTestDb> CreateAsync(PostgresFixture pg, string provider, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        settings ??= [];
        string? folder = null;
        settings["Database:Provider"] = provider;
        if (provider == Postgres)
        {
            settings["Database:ConnectionString"] = await pg.NewDatabaseAsync("identity");
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("carrierreports-identity-").FullName;
            settings["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "service.db")}";
        }

        var db = new IdentityTestDb(settings, folder, configure);
        await db.Get<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return db;
    }

    /// <summary>Another set of services over the same database (e.g. with a different password hasher).</summary>
    public IdentityTestDb Reopen(Action<IServiceCollection>? configure = null) => new(Settings, null, configure);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs SQL straight against the database, as someone with database access would (to tamper).</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Get<ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            ServiceDatabase.Add(cmd, name, value);
        }

        return await cmd.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Get<ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            ServiceDatabase.Add(cmd, name, value);
        }

        return await cmd.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder.
            }
        }
    }
}
