using CarrierReports.Cdr;

namespace CarrierReports.Benchmarks;

/// <summary>The SQL the benchmark compares the product's aggregation with. Each takes $1 carrier, $2 from, $3 to (UTC).</summary>
public static class Queries
{
    public const string Zone = "Europe/London";

    /// <summary>The floor: counting the same rows, which the (carrier_id, start_time) index answers without the heap.</summary>
    public static string Count(string table) =>
        $"SELECT count(*) FROM {SqlIdentifier.Quote(table)} WHERE carrier_id = $1 AND start_time >= $2 AND start_time < $3";

    /// <summary>The same rows counted through the heap: the fair floor when the index does not cover the aggregated columns.</summary>
    public static string CountHeap(string table) =>
        $"SELECT count(duration) FROM {SqlIdentifier.Quote(table)} WHERE carrier_id = $1 AND start_time >= $2 AND start_time < $3";

    /// <summary>The textbook way: convert every row to local time and truncate it to <paramref name="unit"/> (day or hour).</summary>
    public static string Naive(string table, string unit) => $"""
        SELECT date_trunc('{unit}', start_time AT TIME ZONE '{Zone}') AS local_day, provider_card_id::text AS route,
               count(*), count(*) FILTER (WHERE duration > 0), coalesce(sum(duration) FILTER (WHERE duration > 0), 0),
               count(*) FILTER (WHERE duration < 0)
        FROM {SqlIdentifier.Quote(table)}
        WHERE carrier_id = $1 AND start_time >= $2 AND start_time < $3
        GROUP BY 1, 2
        """;

    /// <summary>
    /// Sum into 15-minute UTC slots first, then convert only the slots to local days. Exact for zones whose offsets are
    /// whole quarter hours (London is); it still groups every row once, so it cannot beat a single pass.
    /// </summary>
    public static string QuarterHourDaily(string table) => $"""
        WITH slot AS (
            SELECT date_bin('15 minutes', start_time, timestamptz '2000-01-01 00:00:00+00') AS slot, provider_card_id,
                   count(*) AS attempts, count(*) FILTER (WHERE duration > 0) AS answered,
                   sum(duration) FILTER (WHERE duration > 0) AS seconds, count(*) FILTER (WHERE duration < 0) AS negative
            FROM {SqlIdentifier.Quote(table)}
            WHERE carrier_id = $1 AND start_time >= $2 AND start_time < $3
            GROUP BY 1, 2
        )
        SELECT date_trunc('day', slot AT TIME ZONE '{Zone}') AS local_day, provider_card_id::text AS route,
               sum(attempts)::bigint, sum(answered)::bigint, coalesce(sum(seconds), 0), sum(negative)::bigint
        FROM slot
        GROUP BY 1, 2
        """;

    /// <summary>
    /// The rollup read before the hour and day tiers: every 15-minute slot of the carrier's period summed into buckets.
    /// $1 carrier key (text), $2 bucket starts (Unix seconds), $3 from, $4 to (Unix seconds).
    /// </summary>
    public const string SlotRollups = """
        SELECT width_bucket(slot_start, $2::bigint[]) - 1 AS b, route, sum(attempts), sum(answered), sum(answered_seconds), sum(negative_rows), sum(unlisted_rows)
        FROM cr_rollups
        WHERE carrier = $1 AND slot_start >= $3 AND slot_start < $4
        GROUP BY 1, 2
        """;

    /// <summary>The largest carrier by rows, i.e. the one whose report is the slowest.</summary>
    public static string LargestCarrier(string table) =>
        $"SELECT carrier_id FROM {SqlIdentifier.Quote(table)} GROUP BY carrier_id ORDER BY count(*) DESC, carrier_id LIMIT 1";
}
