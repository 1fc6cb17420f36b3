using System.Data.Common;

namespace CarrierReports.Rollups;

/// <summary>The rollup tables: <c>cr_rollups</c> (one row per carrier, route and 15-minute slot) and <c>cr_rollup_state</c>.</summary>
public static class RollupSchema
{
    public const string CarrierSlotIndex = "ix_cr_rollups_carrier_slot";
    public const string SlotIndex = "ix_cr_rollups_slot";

    /// <summary>Creates what does not exist yet; safe to run again and from several nodes at once (for <c>db migrate</c> too).</summary>
    public static async Task CreateAsync(DbConnection connection, bool isPostgres, CancellationToken cancellationToken)
    {
        // Slots and instants are Unix seconds (bigint) on both databases, so the SQL that bins them is the same.
        // On PostgreSQL the carrier index covers the summed columns: a carrier-month is an index-only scan.
        var include = isPostgres ? " INCLUDE (route, attempts, answered, answered_seconds, negative_rows, unlisted_rows)" : "";
        var sql = $"""
            CREATE TABLE IF NOT EXISTS cr_rollups (
                carrier text NOT NULL,
                route text,
                slot_start bigint NOT NULL,
                attempts bigint NOT NULL,
                answered bigint NOT NULL,
                answered_seconds numeric NOT NULL,
                negative_rows bigint NOT NULL,
                unlisted_rows bigint NOT NULL,
                duration_sum numeric NOT NULL
            );
            CREATE INDEX IF NOT EXISTS {CarrierSlotIndex} ON cr_rollups (carrier, slot_start){include};
            CREATE INDEX IF NOT EXISTS {SlotIndex} ON cr_rollups (slot_start);
            CREATE TABLE IF NOT EXISTS cr_rollup_state (
                id integer PRIMARY KEY,
                watermark bigint NOT NULL,
                fingerprint text NOT NULL,
                refreshed_at bigint NOT NULL,
                reconciled_at bigint,
                reconciled_from bigint,
                reconciled_to bigint,
                reconciled_days integer
            );
            """;
        await using var cmd = connection.CreateCommand();
        // No timeout: after a backfill (or one that stopped half-way) this builds the indexes of millions of rows, which
        // takes minutes; on an existing schema every statement returns at once.
        cmd.CommandTimeout = 0;
        if (isPostgres)
        {
            // Several nodes may start at once: serialise the DDL (the same key as the service schema).
            cmd.CommandText = "SELECT pg_advisory_xact_lock(20261127);\n" + sql;
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
    }
}
