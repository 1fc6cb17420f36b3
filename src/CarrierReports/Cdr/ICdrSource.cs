namespace CarrierReports.Cdr;

/// <summary>
/// A store of CDRs that can sum them per (bucket, route) itself. Implementations push the whole aggregation into the
/// database: what comes back is one row per (bucket, route) with traffic, never a CDR.
/// </summary>
public interface ICdrSource
{
    /// <summary>How "answered" is decided, in words for report footers (e.g. <c>duration &gt; 0</c>).</summary>
    string AnsweredRule { get; }

    /// <summary>Sums the carrier's CDRs with start time in [UtcFrom, UtcTo) into the buckets that start at <see cref="CdrQuery.BucketStarts"/>.</summary>
    Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken);
}

/// <param name="BucketStarts">Ascending UTC bucket starts; the first equals <paramref name="UtcFrom"/>. A row belongs to the last start at or before it.</param>
public sealed record CdrQuery(string Carrier, DateTimeOffset UtcFrom, DateTimeOffset UtcTo, IReadOnlyList<DateTimeOffset> BucketStarts);

/// <summary>Sums for one (bucket, route). <paramref name="Route"/> is null for CDRs without a route.</summary>
public sealed record PartialSum(int Bucket, string? Route, long Attempts, long Answered, decimal AnsweredSeconds);

/// <param name="NegativeDurationRows">Rows whose duration is below zero: counted as attempts, never as answered.</param>
public sealed record CdrAggregate(IReadOnlyList<PartialSum> Rows, long NegativeDurationRows)
{
    /// <summary>
    /// Reads the aggregation result both sources return: bucket, route (text or NULL), attempts, answered, answered
    /// seconds (any numeric type), negative-duration rows.
    /// </summary>
    internal static async Task<CdrAggregate> ReadAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<PartialSum>();
        long negative = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PartialSum(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                Convert.ToDecimal(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
            negative += reader.GetInt64(5);
        }

        return new CdrAggregate(rows, negative);
    }
}
