using System.Data.Common;
using CarrierReports.Cdr;
using CarrierReports.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CarrierReports.Rollups;

/// <summary>The rollup tables in the service database (PostgreSQL or SQLite).</summary>
public sealed partial class RollupStore(ServiceDatabase database)
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public ServiceDatabase Database => database;

    /// <summary>Creates the rollup tables if needed (idempotent; also for an explicit schema migration).</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        if (_schemaReady)
        {
            return connection;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await RollupSchema.CreateAsync(connection, database.IsPostgres, cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }

        return connection;
    }

    public async Task<RollupState?> ReadStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT watermark, fingerprint, refreshed_at, reconciled_at, reconciled_from, reconciled_to, reconciled_days FROM cr_rollup_state WHERE id = 1";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        Reconciliation? reconciled = reader.IsDBNull(3) ? null
            : new Reconciliation(Slots.FromUnix(reader.GetInt64(3)), Slots.FromUnix(reader.GetInt64(4)), Slots.FromUnix(reader.GetInt64(5)), reader.GetInt32(6));
        return new RollupState(Slots.FromUnix(reader.GetInt64(0)), reader.GetString(1), Slots.FromUnix(reader.GetInt64(2)), reconciled);
    }

    /// <summary>
    /// Before a backfill into the empty tables: without their indexes the rows go in several times faster (maintaining
    /// them row by row was most of a backfill's time), and <see cref="OptimizeAsync"/> builds them again in one sort.
    /// </summary>
    public async Task DropIndexesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = string.Join("; ", RollupTier.All.SelectMany(t => new[] { $"DROP INDEX IF EXISTS {t.Index}", $"DROP INDEX IF EXISTS {t.StartIndex}" }));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// After a backfill: builds the indexes again (see <see cref="DropIndexesAsync"/>). On PostgreSQL, VACUUM then sets
    /// the visibility map, so the covering index serves index-only scans at once instead of after autovacuum's next
    /// visit, and ANALYZE gives the planner the new size.
    /// </summary>
    public async Task OptimizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await RollupSchema.CreateAsync(connection, database.IsPostgres, cancellationToken);
        if (!database.IsPostgres)
        {
            return;
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "VACUUM (ANALYZE) " + string.Join(", ", RollupTier.All.Select(t => t.Table));
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets every rollup and the watermark (the CDR mapping changed: everything is summed again).</summary>
    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, string.Concat(RollupTier.All.Select(t => $"DELETE FROM {t.Table}; ")) + "DELETE FROM cr_rollup_state", cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the slots in [from, to) (of <paramref name="carrierKeys"/> only, when given) with <paramref name="rows"/>
    /// in one transaction, streaming them in, and sums the hours and days they touch again in the same transaction; with
    /// <paramref name="watermark"/> the state moves to it in the same transaction.
    /// </summary>
    /// <returns>The number of rollup rows written.</returns>
    public async Task<long> ReplaceAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? carrierKeys, IAsyncEnumerable<SlotSum> rows,
        (DateTimeOffset Watermark, string Fingerprint, DateTimeOffset Now)? watermark, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = tx;
            // During a backfill the table has no indexes yet (see DropIndexesAsync), so this scans what is already written.
            delete.CommandTimeout = 0;
            delete.CommandText = $"DELETE FROM cr_rollups WHERE slot_start >= @from AND slot_start < @to{(carrierKeys is null ? "" : $" AND carrier IN ({Keys(delete, carrierKeys)})")}";
            ServiceDatabase.Add(delete, "from", Slots.ToUnix(from));
            ServiceDatabase.Add(delete, "to", Slots.ToUnix(to));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var written = connection is NpgsqlConnection pg
            ? await CopyAsync(pg, rows, cancellationToken)
            : await InsertAsync(connection, tx, rows, cancellationToken);
        await DeriveTiersAsync(connection, tx, from, to, carrierKeys, cancellationToken);
        if (watermark is { } w)
        {
            await using var state = connection.CreateCommand();
            state.Transaction = tx;
            // The watermark never moves back: a rebuild of an old range must not make newer slots look missing.
            state.CommandText = """
                INSERT INTO cr_rollup_state (id, watermark, fingerprint, refreshed_at) VALUES (1, @w, @f, @now)
                ON CONFLICT (id) DO UPDATE SET watermark = CASE WHEN excluded.watermark > cr_rollup_state.watermark THEN excluded.watermark ELSE cr_rollup_state.watermark END,
                    fingerprint = excluded.fingerprint, refreshed_at = excluded.refreshed_at
                """;
            ServiceDatabase.Add(state, "w", Slots.ToUnix(w.Watermark));
            ServiceDatabase.Add(state, "f", w.Fingerprint);
            ServiceDatabase.Add(state, "now", Slots.ToUnix(w.Now));
            await state.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return written;
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, IAsyncEnumerable<SlotSum> rows, CancellationToken cancellationToken)
    {
        long n = 0;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY cr_rollups (carrier, route, slot_start, attempts, answered, answered_seconds, negative_rows, unlisted_rows, duration_sum) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(r.Carrier, NpgsqlDbType.Text, cancellationToken);
            if (r.Route is null)
            {
                await copy.WriteNullAsync(cancellationToken);
            }
            else
            {
                await copy.WriteAsync(r.Route, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.WriteAsync(r.SlotStart, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(r.Attempts, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(r.Answered, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(r.AnsweredSeconds, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(r.NegativeRows, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(r.UnlistedRows, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(r.DurationSum, NpgsqlDbType.Numeric, cancellationToken);
            n++;
        }

        await copy.CompleteAsync(cancellationToken);
        return n;
    }

    private static async Task<long> InsertAsync(DbConnection connection, DbTransaction tx, IAsyncEnumerable<SlotSum> rows, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO cr_rollups VALUES (@c, @r, @s, @a, @n, @sec, @neg, @out, @dur)";
        var names = new[] { "c", "r", "s", "a", "n", "sec", "neg", "out", "dur" };
        foreach (var name in names)
        {
            ServiceDatabase.Add(insert, name, null);
        }

        long count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            object?[] values = [r.Carrier, r.Route, r.SlotStart, r.Attempts, r.Answered, SqliteNumber(r.AnsweredSeconds), r.NegativeRows, r.UnlistedRows, SqliteNumber(r.DurationSum)];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>A whole number is stored as an SQLite integer, so sums of it stay exact 64-bit integer sums, as in the report query.</summary>
    private static object SqliteNumber(decimal value) =>
        decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue ? (long)value : (double)value;

    /// <summary>Adds @k0, @k1, ... for <paramref name="keys"/> and returns the list for <c>IN (...)</c>.</summary>
    private static string Keys(DbCommand cmd, IReadOnlyList<string> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            ServiceDatabase.Add(cmd, "k" + i, keys[i]);
        }

        return string.Join(", ", keys.Select((_, i) => "@k" + i));
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
