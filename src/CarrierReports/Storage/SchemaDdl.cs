using System.Data.Common;
using CarrierReports.Storage;

namespace CarrierReports.Storage;

/// <summary>
/// Runs a feature's <c>CREATE ... IF NOT EXISTS</c> DDL once per process. The identity and audit tables live outside
/// <see cref="ServiceDatabase"/>'s own schema so that their features own them.
/// </summary>
public class SchemaDdl(ServiceDatabase database, long lockKey, Func<string, string> ddl) : ISchemaPart
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _ready;

    public bool IsPostgres => database.IsPostgres;

    /// <summary>Opens a connection with the feature's tables in place.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await EnsureSchemaAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The tables the DDL creates, for <c>db migrate</c>'s output.</summary>
    public string Tables => string.Join(", ", System.Text.RegularExpressions.Regex.Matches(ddl("text"), @"CREATE TABLE IF NOT EXISTS (\w+)").Select(m => m.Groups[1].Value));

    /// <summary>Run by <c>db migrate</c> (and <c>serve</c>): creates the tables whatever the database.</summary>
    public Task CreateAsync(DbConnection connection, CancellationToken cancellationToken) => CreateNowAsync(connection, cancellationToken);

    /// <summary>
    /// Idempotent: every statement is <c>IF NOT EXISTS</c>, and it runs once per process. On PostgreSQL nothing is
    /// created here: the migration did it, and a read-only role could not (the DDL needs CREATE on the schema).
    /// </summary>
    public Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
        EnsureSchemaAsync(connection, null, cancellationToken);

    /// <param name="transaction">
    /// The caller's open transaction on <paramref name="connection"/>, if any. The DDL then runs inside it (another
    /// connection could not write while it holds SQLite's write lock), and is not remembered as done, because the
    /// caller may still roll it back; it runs again, harmlessly, until a run outside a transaction succeeds.
    /// </param>
    public async Task EnsureSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (_ready || database.IsPostgres)
        {
            return;
        }

        if (transaction is not null)
        {
            await using var inTx = connection.CreateCommand();
            inTx.Transaction = transaction;
            inTx.CommandText = Sql();
            await inTx.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await CreateNowAsync(connection, cancellationToken);
    }

    private async Task CreateNowAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql();
            if (database.IsPostgres)
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            else
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            _ready = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Several nodes may start at once: on PostgreSQL the DDL is serialised, as the service database does for its own.</summary>
    private string Sql()
    {
        var sql = ddl(database.IsPostgres ? "timestamptz" : "text");
        return database.IsPostgres ? $"SELECT pg_advisory_xact_lock({lockKey});\n{sql}" : sql;
    }
}
