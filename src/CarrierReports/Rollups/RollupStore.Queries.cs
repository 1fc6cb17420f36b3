using System.Data.Common;
using System.Globalization;
using CarrierReports.Cdr;
using CarrierReports.Reports;
using CarrierReports.Storage;
using Microsoft.Data.Sqlite;

namespace CarrierReports.Rollups;

/// <summary>The reading side of <see cref="RollupStore"/>: sums for a report, day totals for reconciliation.</summary>
public sealed partial class RollupStore
{
    /// <summary>
    /// Sums the slots of <paramref name="carrierKeys"/> in [from, to) into the buckets starting at <paramref name="bucketStarts"/>
    /// (all slot edges, the first equal to <paramref name="from"/>), one row per (bucket, route). Null when the distinct
    /// routes exceed <paramref name="limits"/> (the caller lets the raw query word the error).
    /// </summary>
    public async Task<RollupSums?> SumAsync(IReadOnlyList<string> carrierKeys, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<DateTimeOffset> bucketStarts,
        ReportLimits limits, int totalBuckets, CancellationToken cancellationToken)
    {
        var starts = bucketStarts.Select(Slots.ToUnix).ToArray();
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        string bucket;
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("cr_rollup_bucket", (long slot) =>
            {
                var i = Array.BinarySearch(starts, slot);
                return i >= 0 ? i : ~i - 1;
            }, isDeterministic: true);
            bucket = "cr_rollup_bucket(slot_start)";
        }
        else
        {
            ServiceDatabase.Add(cmd, "starts", starts);
            bucket = "width_bucket(slot_start, @starts::bigint[]) - 1";
        }

        cmd.CommandText = $"""
            SELECT {bucket} AS b, route, sum(attempts), sum(answered), sum(answered_seconds), sum(negative_rows), sum(unlisted_rows)
            FROM ({TierRows(Keys(cmd, carrierKeys), RollupCover.Plan(Slots.ToUnix(from), Slots.ToUnix(to), starts))}) AS t
            GROUP BY 1, 2
            """;
        var rows = new List<PartialSum>();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        long negative = 0, unlisted = 0;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var route = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (routes.Add(route ?? Reports.AsrPerRoute.AsrPerRouteReport.NoRoute) && !limits.Allows(routes.Count, totalBuckets))
            {
                return null;
            }

            rows.Add(new PartialSum(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), route, Long(reader, 2), Long(reader, 3), Dec(reader, 4)));
            negative += Long(reader, 5);
            unlisted += Long(reader, 6);
        }

        return new RollupSums(rows, negative, unlisted, routes.Count);
    }

    /// <summary>
    /// The rows of every tier that <see cref="RollupCover.Plan"/> asks for, as one UNION ALL: each tier joined to its
    /// ranges (inline integer literals, computed here, never user text), so each range is one index range scan. An empty
    /// plan (nothing before the watermark) reads nothing.
    /// </summary>
    private static string TierRows(string keys, IReadOnlyList<(long Lo, long Hi)>[] plan)
    {
        var parts = new List<string>();
        for (var i = 0; i < plan.Length; i++)
        {
            if (plan[i].Count == 0)
            {
                continue;
            }

            var ranges = string.Join(", ", plan[i].Select(r => FormattableString.Invariant($"({r.Lo}, {r.Hi})")));
            parts.Add($"""
                SELECT x.slot_start, x.route, x.attempts, x.answered, x.answered_seconds, x.negative_rows, x.unlisted_rows
                FROM (VALUES {ranges}) AS r JOIN {RollupTier.All[i].Table} x ON x.carrier IN ({keys}) AND x.slot_start >= r.column1 AND x.slot_start < r.column2
                """);
        }

        return parts.Count == 0
            ? "SELECT slot_start, route, attempts, answered, answered_seconds, negative_rows, unlisted_rows FROM cr_rollups WHERE 1 = 0"
            : string.Join("\nUNION ALL\n", parts);
    }

    /// <summary>Attempts and duration sum per (carrier, UTC day) of the slots in [from, to), as <see cref="ICdrSlotSource.DaySumsAsync"/> counts raw rows.</summary>
    public async Task<Dictionary<(string Carrier, long Day), (long Rows, decimal Duration)>> DaySumsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT carrier, slot_start / 86400, sum(attempts), sum(duration_sum) FROM cr_rollups WHERE slot_start >= @from AND slot_start < @to GROUP BY 1, 2";
        ServiceDatabase.Add(cmd, "from", Slots.ToUnix(from));
        ServiceDatabase.Add(cmd, "to", Slots.ToUnix(to));
        var sums = new Dictionary<(string, long), (long, decimal)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sums[(reader.GetString(0), Long(reader, 1))] = (Long(reader, 2), Dec(reader, 3));
        }

        return sums;
    }

    public async Task RecordReconciliationAsync(Reconciliation r, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE cr_rollup_state SET reconciled_at = @at, reconciled_from = @from, reconciled_to = @to, reconciled_days = @days WHERE id = 1";
        ServiceDatabase.Add(cmd, "at", Slots.ToUnix(r.At));
        ServiceDatabase.Add(cmd, "from", Slots.ToUnix(r.From));
        ServiceDatabase.Add(cmd, "to", Slots.ToUnix(r.To));
        ServiceDatabase.Add(cmd, "days", r.DaysRepaired);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many rollup rows there are (for <c>rollups status</c>).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM cr_rollups";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static long Long(DbDataReader reader, int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static decimal Dec(DbDataReader reader, int i) => Convert.ToDecimal(reader.GetValue(i), CultureInfo.InvariantCulture);
}
