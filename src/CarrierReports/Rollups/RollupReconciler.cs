using CarrierReports.Cdr;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Rollups;

/// <summary>
/// Finds rollups that no longer match the CDRs (rows written or re-rated after the late window, deleted rows): per
/// carrier and UTC day it compares the raw row count and duration sum with the rollups' and sums every day that
/// differs again from raw CDRs.
/// </summary>
public sealed class RollupReconciler(ICdrSlotSource slots, RollupStore store, RollupRefresher refresher, TimeProvider time, ILogger<RollupReconciler> logger)
{
    /// <summary>The (carrier, UTC day) pairs that differed; their days are summed again (only below the watermark).</summary>
    public async Task<IReadOnlyList<(string Carrier, DateOnly Day)>> ReconcileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var state = await store.ReadStateAsync(cancellationToken)
                    ?? throw new InputException("rollups reconcile", "there are no rollups yet; run 'rollups refresh' first");
        var end = state.Watermark < to ? state.Watermark : to;
        var differing = new List<(string, long)>();
        if (from < end)
        {
            var rolled = await store.DaySumsAsync(from, end, cancellationToken);
            await foreach (var raw in slots.DaySumsAsync(from, end, cancellationToken))
            {
                if (!rolled.Remove((raw.Carrier, raw.Day), out var r) || r.Rows != raw.Rows || r.Duration != raw.DurationSum)
                {
                    differing.Add((raw.Carrier, raw.Day));
                }
            }

            // What is left in the rollups has no raw rows any more (deleted CDRs).
            differing.AddRange(rolled.Keys);
        }

        foreach (var day in differing.Select(d => d.Item2).Distinct().Order())
        {
            var a = DateTimeOffset.UnixEpoch.AddDays(day);
            var b = a.AddDays(1) < end ? a.AddDays(1) : end;
            await refresher.RebuildAsync(a < from ? from : a, b, null, null, cancellationToken);
        }

        await store.RecordReconciliationAsync(new Reconciliation(time.GetUtcNow(), from, end, differing.Count), cancellationToken);
        Log.Reconciled(logger, from, end, differing.Count);
        return [.. differing.Select(d => (d.Item1, DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(d.Item2)))).OrderBy(d => d.Item2).ThenBy(d => d.Item1, StringComparer.Ordinal)];
    }
}
