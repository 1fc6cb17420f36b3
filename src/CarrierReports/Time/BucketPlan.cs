namespace CarrierReports.Time;

/// <summary>One bucket of a report: a half-open UTC interval and the local time it starts at.</summary>
/// <param name="Index">Position in the plan, 0-based; the database groups rows by this number.</param>
/// <param name="LocalStart">Local start with the offset in force at that instant (tells the two 01:00 hours of a fall-back day apart).</param>
public sealed record Bucket(int Index, DateTimeOffset LocalStart, DateTimeOffset UtcStart, DateTimeOffset UtcEnd)
{
    public TimeSpan Length => UtcEnd - UtcStart;
}

/// <summary>
/// Cuts a UTC range into buckets that follow the local clock of a zone.
/// </summary>
/// <remarks>
/// A boundary is the first instant at which the local hour (day, month) changes. An hourly bucket also ends where the
/// UTC offset changes, so the repeated hour of a fall-back day is two buckets told apart by their offsets, and a
/// DST day has 23 or 25 hourly buckets. Daily and monthly buckets span offset changes inside them. Because the cut
/// points are computed here as exact instants, the database only has to compare timestamps (no time-zone maths per row),
/// which is both exact for +05:30/+05:45 zones and fast.
/// </remarks>
public sealed class BucketPlan
{
    public const int MaxBuckets = 100_000;

    private BucketPlan(TimeZoneInfo zone, BucketSize size, IReadOnlyList<Bucket> buckets)
    {
        Zone = zone;
        Size = size;
        Buckets = buckets;
    }

    public TimeZoneInfo Zone { get; }
    public BucketSize Size { get; }
    public IReadOnlyList<Bucket> Buckets { get; }

    /// <summary>Bucket start instants (UTC) in order, i.e. the thresholds the database bins rows by.</summary>
    public DateTimeOffset[] Starts() => Buckets.Select(b => b.UtcStart).ToArray();

    public static BucketPlan Create(TimeZoneInfo zone, BucketSize size, DateTimeOffset utcFrom, DateTimeOffset utcTo)
    {
        if (utcFrom >= utcTo)
        {
            throw new ArgumentException("The range must not be empty.", nameof(utcTo));
        }

        var buckets = new List<Bucket>();
        var start = utcFrom.ToUniversalTime();
        var end = utcTo.ToUniversalTime();
        while (start < end)
        {
            var next = NextBoundary(zone, size, start);
            if (next > end)
            {
                next = end;
            }

            buckets.Add(new Bucket(buckets.Count, zone.ToLocal(start), start, next));
            if (buckets.Count > MaxBuckets)
            {
                throw new InputException("bucket", $"the range needs more than {MaxBuckets} {size.Name()} buckets; use a shorter range or a larger bucket");
            }

            start = next;
        }

        return new BucketPlan(zone, size, buckets);
    }

    /// <summary>The first instant after <paramref name="t"/> that starts a new bucket.</summary>
    internal static DateTimeOffset NextBoundary(TimeZoneInfo zone, BucketSize size, DateTimeOffset t)
    {
        while (true)
        {
            var offset = zone.GetUtcOffset(t);
            var local = t.UtcDateTime + offset;
            var nextLocal = NextAligned(local, size);
            var candidate = new DateTimeOffset(nextLocal - offset, TimeSpan.Zero);
            if (zone.GetUtcOffset(candidate) == offset)
            {
                return candidate;
            }

            // The offset changes before the candidate. Hourly buckets end at the change; daily and monthly buckets
            // end there only if the local date (month) has moved on, otherwise carry on with the new offset.
            var change = Zones.FirstOffsetChange(zone, t, candidate);
            if (size == BucketSize.Hour)
            {
                return change;
            }

            var localAtChange = change.UtcDateTime + zone.GetUtcOffset(change);
            if (Truncate(localAtChange, size) != Truncate(local, size))
            {
                return change;
            }

            t = change;
        }
    }

    internal static DateTime Truncate(DateTime local, BucketSize size) => size switch
    {
        BucketSize.Hour => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
        BucketSize.Day => local.Date,
        BucketSize.Month => new DateTime(local.Year, local.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static DateTime NextAligned(DateTime local, BucketSize size) => size switch
    {
        BucketSize.Hour => Truncate(local, size).AddHours(1),
        BucketSize.Day => local.Date.AddDays(1),
        BucketSize.Month => Truncate(local, size).AddMonths(1),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };
}
