using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CarrierReports.Storage;

/// <summary>
/// Connections to the service's own database, PostgreSQL or SQLite, and its schema. The SQL used by the ledger and the
/// subscription store is written to run unchanged on both (<c>ON CONFLICT</c>, <c>RETURNING</c>, <c>@name</c>
/// parameters); only the DDL differs, in the column type of instants.
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

    /// <summary>Opens a connection; the schema is created on first use.</summary>
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
                    await CreateSchemaAsync(connection, cancellationToken);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaLock.Release();
            }
        }

        return connection;
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

    private async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var ts = IsPostgres ? "timestamptz" : "text";
        var sql = $"""
            CREATE TABLE IF NOT EXISTS cr_subscriptions (
                id text PRIMARY KEY,
                definition text NOT NULL,
                updated_at {ts} NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cr_runs (
                run_id text PRIMARY KEY,
                subscription_id text NOT NULL,
                period_from {ts} NOT NULL,
                period_to {ts} NOT NULL,
                time_zone text NOT NULL,
                range_expr text NOT NULL,
                scheduled_at {ts} NOT NULL,
                started_at {ts} NOT NULL,
                finished_at {ts},
                heartbeat_at {ts} NOT NULL,
                node text NOT NULL,
                trigger_kind text NOT NULL,
                attempt integer NOT NULL,
                status text NOT NULL,
                error text,
                note text,
                report_rows integer,
                attempts_total bigint
            );
            CREATE INDEX IF NOT EXISTS ix_cr_runs_subscription ON cr_runs (subscription_id, period_from);
            CREATE INDEX IF NOT EXISTS ix_cr_runs_status ON cr_runs (status);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_cr_runs_running_period ON cr_runs (subscription_id, period_from, period_to) WHERE status = 'running';
            CREATE TABLE IF NOT EXISTS cr_run_artifacts (
                run_id text NOT NULL,
                file_name text NOT NULL,
                format text NOT NULL,
                bytes bigint NOT NULL,
                sha256 text NOT NULL,
                archive_id text,
                archive_path text,
                PRIMARY KEY (run_id, file_name)
            );
            CREATE TABLE IF NOT EXISTS cr_deliveries (
                subscription_id text NOT NULL,
                period_from {ts} NOT NULL,
                period_to {ts} NOT NULL,
                recipient text NOT NULL,
                kind text NOT NULL,
                message_id text NOT NULL,
                outcome text NOT NULL,
                smtp_reply text,
                attempts integer NOT NULL,
                error text,
                run_id text NOT NULL,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (subscription_id, period_from, period_to, recipient)
            );
            """;
        if (!IsPostgres)
        {
            sql = "PRAGMA journal_mode=WAL;\n" + sql;
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (IsPostgres)
        {
            // Several nodes may start at once: serialise the DDL.
            cmd.CommandText = "SELECT pg_advisory_xact_lock(20261127);\n" + sql;
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            cmd.Transaction = tx;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        else
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
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
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT pg_advisory_lock(@key)";
            Add(cmd, "key", key);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
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
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "SELECT pg_advisory_unlock(@key)";
                Add(cmd, "key", key);
                await cmd.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock even if the unlock above failed.
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Adds a parameter; instants are stored as UTC.</summary>
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
