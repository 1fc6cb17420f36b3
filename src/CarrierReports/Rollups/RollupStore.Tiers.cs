using System.Data.Common;
using CarrierReports.Storage;

namespace CarrierReports.Rollups;

/// <summary>The hour and day tiers of <see cref="RollupStore"/>: summed again from the slots whenever slots are written.</summary>
public sealed partial class RollupStore
{
    /// <summary>
    /// Sums every hour that [from, to) touches again from its slots, then every day it touches from its hours (of
    /// <paramref name="carrierKeys"/> only, when given), inside the caller's transaction. A whole hour or day is summed
    /// again, not just the part that changed, so a tier row is always the sum of all its current slots; a row of the
    /// hour or day that holds the watermark is partial until the next refresh, and the read path never uses it (it
    /// only reads tier rows that end at or before the watermark).
    /// </summary>
    private static async Task DeriveTiersAsync(DbConnection connection, DbTransaction tx, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? carrierKeys,
        CancellationToken cancellationToken)
    {
        long lo = Cdr.Slots.ToUnix(from), hi = Cdr.Slots.ToUnix(to);
        foreach (var tier in RollupTier.Derived)
        {
            lo = tier.Floor(lo);
            hi = tier.Ceiling(hi);
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            // During a backfill the tables have no indexes yet (see DropIndexesAsync), so this scans what is already written.
            cmd.CommandTimeout = 0;
            var filter = carrierKeys is null ? "" : $" AND carrier IN ({Keys(cmd, carrierKeys)})";
            cmd.CommandText = $"DELETE FROM {tier.Table} WHERE slot_start >= @from AND slot_start < @to{filter};\n{tier.DeriveSql(filter)}";
            ServiceDatabase.Add(cmd, "from", lo);
            ServiceDatabase.Add(cmd, "to", hi);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
