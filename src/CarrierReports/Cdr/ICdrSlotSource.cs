namespace CarrierReports.Cdr;

/// <summary>
/// What the rollups need from a CDR store besides <see cref="Cdr.ICdrSource"/>: sums per (carrier, route, slot) for
/// every carrier at once, and per (carrier, UTC day) for reconciliation. Both CDR sources implement it with the same
/// answered rule and duration handling as their report query, so a slot sum is exactly what a report would sum.
/// </summary>
public interface ICdrSlotSource
{
    /// <summary>A fingerprint of the table, column mapping and answer rule; rollups built under another one are not used.</summary>
    Task<string> FingerprintAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The rollup carrier keys (the carrier column as text) that the report query for <paramref name="carrier"/> matches,
    /// or null when that cannot be said exactly (the report then reads raw CDRs).
    /// </summary>
    Task<IReadOnlyList<string>?> CarrierKeysAsync(string carrier, CancellationToken cancellationToken);

    /// <summary>Sums per (carrier, route, slot) of rows with start in [from, to), optionally of one carrier, streamed.</summary>
    IAsyncEnumerable<SlotSum> SlotSumsAsync(DateTimeOffset from, DateTimeOffset to, string? carrier, CancellationToken cancellationToken);

    /// <summary>Row count and duration sum per (carrier, UTC day) of rows with start in [from, to).</summary>
    IAsyncEnumerable<DaySum> DaySumsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The earliest readable start time in the table, or null when it is empty.</summary>
    Task<DateTimeOffset?> EarliestStartAsync(CancellationToken cancellationToken);
}

/// <summary>One slot's sums. <paramref name="DurationSum"/> is over every row (reconciliation compares it).</summary>
public sealed record SlotSum(string Carrier, string? Route, long SlotStart, long Attempts, long Answered, decimal AnsweredSeconds, long NegativeRows, long UnlistedRows, decimal DurationSum);

/// <summary>One carrier's rows of one UTC day (<paramref name="Day"/> = Unix seconds / 86400).</summary>
public sealed record DaySum(string Carrier, long Day, long Rows, decimal DurationSum);
