using System.Data.Common;

namespace CarrierReports.Rollups;

/// <summary>
/// The rollup tables: <c>cr_rollups</c> (one row per carrier, route and 15-minute slot), the coarser tiers
/// <c>cr_rollup_hours</c> and <c>cr_rollup_days</c> (see <see cref="RollupTier"/>), and <c>cr_rollup_state</c>.
/// </summary>
public static class RollupSchema
{
    public const string CarrierSlotIndex = "ix_cr_rollups_carrier_slot";
    public const string SlotIndex = "ix_cr_rollups_slot";

    /// <summary>Creates what does not exist yet; safe to run again and from several nodes at once (for <c>db migrate</c> too).</summary>
    public static async Task CreateAsync(DbConnection connection, bool isPostgres, CancellationToken cancellationToken)
    {
        var sql = string.Concat(RollupTier.All.Select(t => TierSql(t, isPostgres))) + """
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
            await DeriveMissingTiersAsync(connection, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        else
        {
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            await DeriveMissingTiersAsync(connection, null, cancellationToken);
        }
    }

    /// <summary>
    /// Slots and instants are Unix seconds (bigint) on both databases, so the SQL that bins them is the same. On
    /// PostgreSQL the carrier index covers the summed columns: a carrier-month is an index-only range scan.
    /// </summary>
    private static string TierSql(RollupTier tier, bool isPostgres)
    {
        var include = isPostgres ? " INCLUDE (route, attempts, answered, answered_seconds, negative_rows, unlisted_rows)" : "";
        return $"""
            CREATE TABLE IF NOT EXISTS {tier.Table} (
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
            CREATE INDEX IF NOT EXISTS {tier.Index} ON {tier.Table} (carrier, slot_start){include};
            CREATE INDEX IF NOT EXISTS {tier.StartIndex} ON {tier.Table} (slot_start);

            """;
    }

    /// <summary>
    /// Rollups written before the hour and day tiers existed have slots but no tier rows: sums them once. Afterwards a
    /// tier is never empty while the slots are not (every write of slots derives the tiers in its transaction), so on
    /// every later start this is two cheap probes.
    /// </summary>
    private static async Task DeriveMissingTiersAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken)
    {
        foreach (var tier in RollupTier.Derived)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandTimeout = 0;
            cmd.CommandText = $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {tier.Source}) AND NOT EXISTS (SELECT 1 FROM {tier.Table}) THEN 1 ELSE 0 END";
            if (Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }

            cmd.CommandText = tier.DeriveSql("");
            Storage.ServiceDatabase.Add(cmd, "from", long.MinValue);
            Storage.ServiceDatabase.Add(cmd, "to", long.MaxValue);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
