namespace CarrierReports.Rollups;

/// <summary>
/// Covers the buckets of a report with the coarsest rollup rows whose edges fit: inside each bucket, whole UTC days
/// where the bucket holds them, whole UTC hours around them, 15-minute slots at the ragged ends. A London day in
/// winter is one day row per route; in summer (23:00–23:00 UTC) 24 hour rows; a Kathmandu day (+05:45) 23 hour rows and
/// 4 slots; a Kathmandu hour 4 slots.
/// </summary>
public static class RollupCover
{
    /// <summary>
    /// For each tier of <see cref="RollupTier.All"/> (finest first) the ranges [Lo, Hi) of Unix seconds to read from it.
    /// Together they cover [<paramref name="from"/>, <paramref name="to"/>) exactly once; no range crosses a bucket start,
    /// and each starts and ends on its tier's edges. Adjacent ranges of one tier are merged (the bucket of a row is found
    /// from its start, so a range may span buckets).
    /// </summary>
    /// <param name="from">The first bucket start; a slot edge.</param>
    /// <param name="to">Where the rollups end; a slot edge after <paramref name="from"/>.</param>
    /// <param name="bucketStarts">Ascending slot edges, the first equal to <paramref name="from"/>, all before <paramref name="to"/>.</param>
    public static IReadOnlyList<(long Lo, long Hi)>[] Plan(long from, long to, IReadOnlyList<long> bucketStarts)
    {
        var runs = RollupTier.All.Select(_ => new List<(long Lo, long Hi)>()).ToArray();
        for (var i = 0; i < bucketStarts.Count; i++)
        {
            var a = bucketStarts[i];
            var b = i + 1 < bucketStarts.Count && bucketStarts[i + 1] < to ? bucketStarts[i + 1] : to;
            CoverBucket(a, b, 0, runs);
        }

        return runs;
    }

    /// <summary>Covers [a, b) with tier <paramref name="level"/> and coarser: its ragged ends go to the finer tier below.</summary>
    private static void CoverBucket(long a, long b, int level, List<(long Lo, long Hi)>[] runs)
    {
        if (a >= b)
        {
            return;
        }

        var coarser = level + 1 < RollupTier.All.Count ? RollupTier.All[level + 1] : null;
        long lo = coarser?.Ceiling(a) ?? b, hi = coarser?.Floor(b) ?? b;
        if (lo >= hi)
        {
            Add(runs[level], a, b);
            return;
        }

        Add(runs[level], a, lo);
        CoverBucket(lo, hi, level + 1, runs);
        Add(runs[level], hi, b);
    }

    private static void Add(List<(long Lo, long Hi)> runs, long lo, long hi)
    {
        if (lo >= hi)
        {
            return;
        }

        if (runs.Count > 0 && runs[^1].Hi == lo)
        {
            runs[^1] = (runs[^1].Lo, hi);
        }
        else
        {
            runs.Add((lo, hi));
        }
    }
}
