using CarrierReports.Reports;

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
    /// <exception cref="InputException">The result would exceed <see cref="CdrQuery.Limits"/> (names the setting and the size found).</exception>
    Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken);
}

/// <param name="BucketStarts">Ascending UTC bucket starts; the first equals <paramref name="UtcFrom"/>. A row belongs to the last start at or before it.</param>
public sealed record CdrQuery(string Carrier, DateTimeOffset UtcFrom, DateTimeOffset UtcTo, IReadOnlyList<DateTimeOffset> BucketStarts)
{
    /// <summary>Bounds checked while the result streams in, before anything grows with the number of routes.</summary>
    public ReportLimits Limits { get; init; } = ReportLimits.Default;
}

/// <summary>Sums for one (bucket, route). <paramref name="Route"/> is null for CDRs without a route.</summary>
/// <remarks>Reports show a null route as <see cref="NoRoute"/>.</remarks>
public sealed record PartialSum(int Bucket, string? Route, long Attempts, long Answered, decimal AnsweredSeconds)
{
    /// <summary>The name under which CDRs without a route are reported (and counted towards the route limit).</summary>
    public const string NoRoute = "(none)";
}

/// <param name="NegativeDurationRows">Rows whose duration is below zero: counted as attempts, never as answered.</param>
public sealed record CdrAggregate(IReadOnlyList<PartialSum> Rows, long NegativeDurationRows)
{
    /// <summary>Rows the report could not use as they are, and why; <see cref="CdrDataIssues.None"/> when all were clean.</summary>
    public CdrDataIssues Issues { get; init; } = CdrDataIssues.None;

    /// <summary>The bucket number both sources return for rows whose start time cannot be read.</summary>
    internal const int UnreadableStartBucket = -1;

    /// <summary>
    /// Reads the aggregation result both sources return: bucket, route (text or NULL), attempts, answered, answered
    /// seconds (any numeric type), negative-duration rows, rows with an answer value outside the configured lists.
    /// Rows of bucket <see cref="UnreadableStartBucket"/> are only counted. Stops with <see cref="LimitReachedException"/>
    /// as soon as the distinct routes seen would exceed <paramref name="limits"/>, so memory stays bounded by them.
    /// </summary>
    internal static async Task<CdrAggregate> ReadAsync(System.Data.Common.DbDataReader reader, ReportLimits limits, int buckets, CancellationToken cancellationToken)
    {
        var rows = new List<PartialSum>();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        long negative = 0, unreadable = 0, unlisted = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var bucket = reader.GetInt32(0);
            var attempts = reader.GetInt64(2);
            if (bucket == UnreadableStartBucket)
            {
                unreadable += attempts;
                continue;
            }

            negative += reader.GetInt64(5);
            unlisted += reader.GetInt64(6);
            var route = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (routes.Add(route ?? PartialSum.NoRoute) && !limits.Allows(routes.Count, buckets))
            {
                throw new LimitReachedException();
            }

            rows.Add(new PartialSum(bucket, route, attempts, reader.GetInt64(3),
                Convert.ToDecimal(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new CdrAggregate(rows, negative) { Issues = CdrDataIssues.None with { UnreadableStartRows = unreadable, UnlistedAnswerRows = unlisted } };
    }
}

/// <summary>The result stream crossed a report limit; the source counts the real size and reports it.</summary>
internal sealed class LimitReachedException : Exception;
