using CarrierReports.Access;
using System.Data.Common;
using CarrierReports.Storage;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. Appends are serialised (a PostgreSQL transaction-scoped advisory lock;
/// SQLite's write transaction) so that two writers, even on two nodes, never read the same last row and fork the chain.
/// </summary>
public sealed partial class AuditTrail(AuditSchema schema, TimeProvider time, ILogger<AuditTrail> logger)
{
    internal const string Columns =
        "id, time, actor, auth_method, auth_id, role, action, target, before_json, after_json, client_address, outcome, prev_hash, hash";

    /// <summary>Appends in a transaction of its own.</summary>
    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var entry = await AppendAsync(record, connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Runs an <c>UPDATE ... RETURNING</c> of one row, appends the change's audit row (when asked) and commits: the
    /// stores' common last step of an audited change.
    /// </summary>
    /// <returns>The row before (as read by the caller in the same transaction) and after.</returns>
    public async Task<(T Before, T After)> CommitChangeAsync<T>(DbCommand update, Func<DbDataReader, T> read, T before,
        AuditChange<T>? audit, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        where T : class
    {
        T after;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            after = read(reader);
        }

        if (audit is not null)
        {
            await AppendAsync(audit(before, after), connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (before, after);
    }

    /// <summary>
    /// Appends inside the caller's transaction, so a change and its audit row commit together or not at all. On
    /// SQLite the transaction must be a write (IMMEDIATE) one, which <c>BeginTransaction</c> gives by default; on
    /// PostgreSQL the append lock is held until the caller commits, so commit soon.
    /// </summary>
    public async Task<AuditEntry> AppendAsync(AuditRecord record, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await schema.EnsureSchemaAsync(connection, transaction, cancellationToken);
        if (schema.IsPostgres)
        {
            await using var lockCmd = connection.CreateCommand();
            lockCmd.Transaction = transaction;
            lockCmd.CommandText = $"SELECT pg_advisory_xact_lock({AuditSchema.AppendLockKey})";
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        var (lastId, lastHash) = await LastAsync(connection, transaction, cancellationToken);
        var a = record.Actor;
        var entry = new AuditEntry(lastId + 1, AuditHash.Truncate(time.GetUtcNow()), a.Name, Actor.MethodName(a.Method), a.AuthId,
            a.Role.Name(), record.Action, record.Target, record.Before, record.After, record.ClientAddress, record.Outcome, lastHash, "");
        entry = entry with { Hash = AuditHash.Compute(entry) };

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"""
            INSERT INTO cr_audit ({Columns})
            VALUES (@id, @time, @actor, @method, @authId, @role, @action, @target, @before, @after, @client, @outcome, @prev, @hash)
            """;
        Bind(cmd, entry);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Creates the audit table if needed, outside any transaction; stores call it before they open the transaction
    /// they will append in, so that the DDL does not run inside it.
    /// </summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
    }

    /// <summary>Walks the chain from the first row; stops at the first row that does not fit and names it.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM cr_audit ORDER BY id";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        long rows = 0, previousId = 0;
        var previousHash = AuditHash.Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = Read(reader);
            var problem =
                e.Id != previousId + 1 ? $"expected id {previousId + 1} after {previousId}; a row was deleted or inserted" :
                e.PrevHash != previousHash ? "its previous hash is not the hash of the row before it; a row was deleted or inserted" :
                AuditHash.Compute(e) != e.Hash ? "its content does not match its hash; the row was edited" :
                null;
            if (problem is not null)
            {
                LogChainBroken(logger, e.Id, problem);
                return new AuditVerification(rows, e.Id, problem, previousHash);
            }

            rows++;
            previousId = e.Id;
            previousHash = e.Hash;
        }

        return new AuditVerification(rows, null, null, previousHash);
    }

    private static async Task<(long Id, string Hash)> LastAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT id, hash FROM cr_audit ORDER BY id DESC LIMIT 1";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditHash.Genesis);
    }

    private static void Bind(DbCommand cmd, AuditEntry e)
    {
        ServiceDatabase.Add(cmd, "id", e.Id);
        ServiceDatabase.Add(cmd, "time", e.Time);
        ServiceDatabase.Add(cmd, "actor", e.Actor);
        ServiceDatabase.Add(cmd, "method", e.AuthMethod);
        ServiceDatabase.Add(cmd, "authId", e.AuthId);
        ServiceDatabase.Add(cmd, "role", e.Role);
        ServiceDatabase.Add(cmd, "action", e.Action);
        ServiceDatabase.Add(cmd, "target", e.Target);
        ServiceDatabase.Add(cmd, "before", e.Before);
        ServiceDatabase.Add(cmd, "after", e.After);
        ServiceDatabase.Add(cmd, "client", e.ClientAddress);
        ServiceDatabase.Add(cmd, "outcome", e.Outcome);
        ServiceDatabase.Add(cmd, "prev", e.PrevHash);
        ServiceDatabase.Add(cmd, "hash", e.Hash);
    }

    internal static AuditEntry Read(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new AuditEntry(r.GetInt64(0), ServiceDatabase.ReadInstant(r, 1), r.GetString(2), r.GetString(3), S(4), r.GetString(5),
            r.GetString(6), S(7), S(8), S(9), S(10), r.GetString(11), r.GetString(12), r.GetString(13));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit trail broken at row {Id}: {Problem}")]
    private static partial void LogChainBroken(ILogger logger, long id, string problem);
}
