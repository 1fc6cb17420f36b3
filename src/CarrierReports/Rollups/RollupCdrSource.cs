using CarrierReports.Cdr;

namespace CarrierReports.Rollups;

/// <summary>
/// The report's CDR source with rollups: buckets before the watermark are summed from the rollup tiers (whole UTC days,
/// hours and 15-minute slots, the coarsest that fit each bucket: <see cref="RollupCover"/>), the rest of the period from
/// raw CDRs, and both are merged into one answer that equals the raw one cell by cell.
/// </summary>
/// <remarks>
/// The whole report reads raw CDRs when the rollups cannot answer exactly: no watermark yet, rollups built under another
/// CDR mapping, a bucket edge that is not a slot edge, a carrier whose keys cannot be told, a rollup part with answer
/// values outside the configured lists (the note names them, which only the raw rows can), or a route count over the
/// report limits (the raw query words that error). The raw tail always runs, even for an empty range: it is what counts
/// unreadable start rows (a carrier-wide figure) and finds a carrier that is not in the table.
/// </remarks>
public sealed class RollupCdrSource(ICdrSource raw, ICdrSlotSource slots, RollupStore store) : ICdrSource
{
    public string AnsweredRule => raw.AnsweredRule;

    public async Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(query, cancellationToken);
        if (plan is not { } split)
        {
            return await raw.AggregateAsync(query, cancellationToken);
        }

        var starts = query.BucketStarts;
        var covered = starts.TakeWhile(s => s < split.At).ToList();
        var sums = await store.SumAsync(split.Keys, query.UtcFrom, split.At, covered, query.Limits, starts.Count, cancellationToken);
        if (sums is null || sums.UnlistedRows > 0)
        {
            return await raw.AggregateAsync(query, cancellationToken);
        }

        // The tail [split, to) in the raw source: its bucket 0 is the bucket that holds the split instant.
        var offset = covered.Count < starts.Count && starts[covered.Count] == split.At ? covered.Count : covered.Count - 1;
        var tailStarts = new List<DateTimeOffset> { split.At };
        tailStarts.AddRange(starts.Skip(offset + 1));
        CdrAggregate tail;
        try
        {
            tail = await raw.AggregateAsync(new CdrQuery(query.Carrier, split.At, query.UtcTo, tailStarts) { Limits = query.Limits }, cancellationToken);
        }
        catch (InputException)
        {
            // The tail alone would word a limit error with its own route count; the full raw query words the real one.
            return await raw.AggregateAsync(query, cancellationToken);
        }

        return Merge(query, sums, tail, offset);
    }

    private static CdrAggregate Merge(CdrQuery query, RollupSums sums, CdrAggregate tail, int offset)
    {
        var cells = new Dictionary<(int, string?), PartialSum>();
        foreach (var r in sums.Rows.Concat(tail.Rows.Select(t => t with { Bucket = t.Bucket + offset })))
        {
            cells[(r.Bucket, r.Route)] = cells.TryGetValue((r.Bucket, r.Route), out var c)
                ? c with { Attempts = c.Attempts + r.Attempts, Answered = c.Answered + r.Answered, AnsweredSeconds = c.AnsweredSeconds + r.AnsweredSeconds }
                : r;
        }

        var routes = cells.Keys.Select(k => k.Item2 ?? Reports.AsrPerRoute.AsrPerRouteReport.NoRoute).Distinct(StringComparer.Ordinal).Count();
        query.Limits.Check(routes, query.BucketStarts.Count);
        var rows = cells.Values.OrderBy(r => r.Bucket).ThenBy(r => r.Route, StringComparer.Ordinal).ToList();
        var issues = rows.Count > 0 ? tail.Issues with { CarrierNotInTable = false, SimilarCarriers = [] } : tail.Issues;
        return new CdrAggregate(rows, sums.NegativeRows + tail.NegativeDurationRows) { Issues = issues };
    }

    /// <summary>Where the rollups end for this query (a slot edge after its start), or null when the whole query reads raw.</summary>
    private async Task<(DateTimeOffset At, IReadOnlyList<string> Keys)?> PlanAsync(CdrQuery query, CancellationToken cancellationToken)
    {
        if (!query.BucketStarts.All(Slots.IsEdge) || !Slots.IsEdge(query.UtcTo))
        {
            return null;
        }

        var state = await store.ReadStateAsync(cancellationToken);
        if (state is null || state.Watermark <= query.UtcFrom || state.Fingerprint != await slots.FingerprintAsync(cancellationToken))
        {
            return null;
        }

        var keys = await slots.CarrierKeysAsync(query.Carrier, cancellationToken);
        return keys is null ? null : (state.Watermark < query.UtcTo ? state.Watermark : query.UtcTo, keys);
    }
}
