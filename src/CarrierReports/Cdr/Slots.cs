namespace CarrierReports.Cdr;

/// <summary>15-minute UTC slots, stored as the Unix second they start at.</summary>
public static class Slots
{
    /// <summary>Every zone offset in use today is a multiple of 15 minutes, so local hours, days and months are unions of these.</summary>
    public const long Seconds = 900;

    public static long ToUnix(DateTimeOffset t) => t.ToUnixTimeSeconds();

    public static DateTimeOffset FromUnix(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    /// <summary>True when <paramref name="t"/> is exactly a slot edge (no sub-second part either).</summary>
    public static bool IsEdge(DateTimeOffset t) =>
        t.UtcTicks % TimeSpan.TicksPerSecond == 0 && Math.Abs(t.ToUnixTimeSeconds() % Seconds) == 0;

    /// <summary>The start of the slot holding <paramref name="t"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset t)
    {
        var ticks = TimeSpan.TicksPerSecond * Seconds;
        var since = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(since - (((since % ticks) + ticks) % ticks));
    }

    public static DateTimeOffset FloorDay(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
}
