using System.Data.Common;
using CarrierReports.Storage;

namespace CarrierReports.Identity;

/// <summary>
/// Runs a feature's <c>CREATE ... IF NOT EXISTS</c> DDL once per process. The identity and audit tables live outside
/// <see cref="ServiceDatabase"/>'s own schema so that their features own them.
/// </summary>
public class SchemaDdl(ServiceDatabase database, long lockKey, Func<string, string> ddl)
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

    /// <summary>Idempotent: every statement is <c>IF NOT EXISTS</c>, and it runs once per process.</summary>
    public async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            var sql = ddl(database.IsPostgres ? "timestamptz" : "text");
            await using var cmd = connection.CreateCommand();
            if (database.IsPostgres)
            {
                // Several nodes may start at once: serialise the DDL, as the service database does for its own.
                cmd.CommandText = $"SELECT pg_advisory_xact_lock({lockKey});\n{sql}";
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            else
            {
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            _ready = true;
        }
        finally
        {
            _lock.Release();
        }
    }
}
