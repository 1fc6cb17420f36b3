namespace CarrierReports.Rollups;

/// <summary>
/// One granularity of the rollups: 15-minute slots (<c>cr_rollups</c>, summed from raw CDRs), UTC hours
/// (<c>cr_rollup_hours</c>, summed from the slots) and UTC days (<c>cr_rollup_days</c>, summed from the hours). Every
/// tier has the same columns; <c>slot_start</c> is the Unix second its slot, hour or day starts at.
/// </summary>
/// <remarks>
/// The coarser tiers exist because a carrier-month read from slots is ~120,000 rows at 10 M CDRs: a day row replaces 96
/// slot rows. They are derived from the finer tier in the same transaction that writes the slots, so they can never
/// disagree with them: exactness of the coarse tiers follows from exactness of the slots.
/// </remarks>
public sealed record RollupTier(string Table, long Seconds, string? Source, string Index, string StartIndex)
{
    public static RollupTier Slot { get; } = new("cr_rollups", Cdr.Slots.Seconds, null, RollupSchema.CarrierSlotIndex, RollupSchema.SlotIndex);

    public static RollupTier Hour { get; } = new("cr_rollup_hours", 3_600, "cr_rollups", "ix_cr_rollup_hours_carrier_start", "ix_cr_rollup_hours_start");

    public static RollupTier Day { get; } = new("cr_rollup_days", 86_400, "cr_rollup_hours", "ix_cr_rollup_days_carrier_start", "ix_cr_rollup_days_start");

    /// <summary>Finest first: the order <see cref="RollupCover"/> returns its runs in.</summary>
    public static IReadOnlyList<RollupTier> All { get; } = [Slot, Hour, Day];

    /// <summary>The tiers summed from a finer one, in the order they must be derived.</summary>
    public static IReadOnlyList<RollupTier> Derived { get; } = [Hour, Day];

    public long Floor(long t) => t - (((t % Seconds) + Seconds) % Seconds);

    public long Ceiling(long t) => Floor(t) == t ? t : Floor(t) + Seconds;

    /// <summary>
    /// The SQL that sums the finer tier's rows in [@from, @to) into this tier (the caller deletes that range first).
    /// Written for both databases: <c>%</c> truncates on both, hence the double modulo for instants before 1970.
    /// </summary>
    public string DeriveSql(string carrierFilter) => $"""
        INSERT INTO {Table} (carrier, route, slot_start, attempts, answered, answered_seconds, negative_rows, unlisted_rows, duration_sum)
        SELECT carrier, route, slot_start - (((slot_start % {Seconds}) + {Seconds}) % {Seconds}),
               sum(attempts), sum(answered), sum(answered_seconds), sum(negative_rows), sum(unlisted_rows), sum(duration_sum)
        FROM {Source}
        WHERE slot_start >= @from AND slot_start < @to{carrierFilter}
        GROUP BY 1, 2, 3
        """;
}
