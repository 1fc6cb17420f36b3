using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CarrierReports.Storage;

/// <summary>
/// Connections to the service's own database, PostgreSQL or SQLite, and its schema. The SQL of the ledger and the
/// subscription table is written to run unchanged on both (<c>ON CONFLICT</c>, <c>RETURNING</c>, <c>@name</c>
/// parameters); only the DDL (<see cref="ServiceSchema"/>) differs, in the column type of instants.
/// </summary>
public sealed class ServiceDatabase : IAsyncDisposable
{
    private readonly DbDataSource _dataSource;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private bool _schemaReady;

    public ServiceDatabase(IOptions<DatabaseOptions> options)
    {
        Options = options.Value;
        const string field = DatabaseOptions.Section + ":ConnectionString";
        try
        {
            if (IsPostgres)
            {
                var csb = new NpgsqlConnectionStringBuilder(Options.ConnectionString) { Timezone = "UTC" };
                _dataSource = NpgsqlDataSource.Create(csb);
            }
            else
            {
                var csb = new SqliteConnectionStringBuilder(Options.ConnectionString) { DefaultTimeout = 30 };
                var dir = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
                if (dir is not null && csb.Mode != SqliteOpenMode.Memory)
                {
                    Directory.CreateDirectory(dir);
                }

                _dataSource = SqliteFactory.Instance.CreateDataSource(csb.ConnectionString);
            }
        }
        catch (ArgumentException ex)
        {
            throw new InputException(field, $"is not a valid connection string: {ex.Message}");
        }
    }

    public DatabaseOptions Options { get; }

    public bool IsPostgres => Options.Provider == Cdr.CdrProvider.Postgres;

    /// <summary>
    /// Opens a connection to existing tables. PostgreSQL: the schema must have been created by <c>db migrate</c> or
    /// <c>serve</c> (<see cref="SchemaMigrator"/>), so that a role with SELECT rights only can read; a missing schema is
    /// reported with its fix. SQLite has no roles (whoever can write the file can create tables), so its tables are
    /// still created on first use.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenRawAsync(cancellationToken);
        if (!_schemaReady)
        {
            await _schemaLock.WaitAsync(cancellationToken);
            try
            {
                if (!_schemaReady)
                {
                    await PrepareAsync(connection, cancellationToken);
                    _schemaReady = true;
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            finally
            {
                _schemaLock.Release();
            }
        }

        return connection;
    }

    /// <summary>A connection for the migration itself, which must not require the tables it creates.</summary>
    internal Task<DbConnection> OpenWithoutSchemaAsync(CancellationToken cancellationToken) => OpenRawAsync(cancellationToken);

    internal void MarkSchemaReady() => _schemaReady = true;

    private async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            await ServiceSchema.CreateAsync(connection, false, cancellationToken);
            return;
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT to_regclass('cr_runs') IS NOT NULL";
        if (await cmd.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw new DatabaseAccessException($"the service database ({Options.Describe()}) has no tables yet (cr_runs is missing): run 'db migrate' or start serve");
        }
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SqliteException)
        {
            throw new InvalidOperationException($"{DatabaseOptions.Section}:ConnectionString: cannot open the service database ({Options.Provider}): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A lock held across every node until disposed (a PostgreSQL session advisory lock on its own connection; it is
    /// released by the server if the node dies). With SQLite there is a single node, and the lock is a no-op.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(long key, CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            return NoLock.Instance;
        }

        var connection = await OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key = key }, cancellationToken: cancellationToken));
            return new AdvisoryLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AdvisoryLock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = key });
            }
            finally
            {
                // Closing the session releases the lock even if the unlock above failed.
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Opens a connection and asks the server a trivial question; throws when the database cannot be reached.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
    }

    /// <summary>A named parameter for hand-written ADO commands; instants are stored as UTC.</summary>
    public static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset t => t.UtcDateTime,
            _ => value,
        };
        cmd.Parameters.Add(p);
    }

    /// <summary>Reads an instant written by <see cref="Add"/>, whichever database it came from.</summary>
    public static DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _schemaLock.Dispose();
    }
}
