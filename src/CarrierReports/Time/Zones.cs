namespace CarrierReports.Time;

public static class Zones
{
    /// <summary>Finds an IANA time zone by id, or throws an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static TimeZoneInfo Find(string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InputException(field, "a time zone is required (an IANA id such as Europe/London)");
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            // Reports print the zone id, so insist on the IANA form rather than a Windows name.
            if (!zone.HasIanaId && !string.Equals(zone.Id, "UTC", StringComparison.Ordinal))
            {
                throw new InputException(field, $"'{id}' is a Windows time zone name; use its IANA id (e.g. Europe/London)");
            }

            return zone;
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InputException(field, $"'{id}' is not a known IANA time zone (e.g. Europe/London, Asia/Kolkata)");
        }
        catch (InvalidTimeZoneException ex)
        {
            throw new InputException(field, $"'{id}' could not be loaded: {ex.Message}");
        }
    }

    /// <summary>The local wall-clock reading of <paramref name="utc"/> in <paramref name="zone"/>, with its offset.</summary>
    public static DateTimeOffset ToLocal(this TimeZoneInfo zone, DateTimeOffset utc) =>
        TimeZoneInfo.ConvertTime(utc, zone);

    /// <summary>
    /// The first instant at or after which the local clock reads <paramref name="local"/> (or later).
    /// A local time skipped by a forward change resolves to the instant of the change;
    /// a repeated local time resolves to its first occurrence.
    /// </summary>
    public static DateTimeOffset ResolveLocal(this TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Inside a gap: the offset before the gap gives an instant after the change; search back
            // for the change itself, which is where the local day (or hour) really begins.
            var before = zone.GetUtcOffset(local.AddHours(-6));
            var after = new DateTimeOffset(local - before, TimeSpan.Zero);
            var lo = after.AddHours(-6);
            return FirstOffsetChange(zone, lo, after);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            return new DateTimeOffset(local, first).ToUniversalTime();
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Finds the first instant in (lo, hi] whose UTC offset differs from lo's. Assumes there is one.</summary>
    internal static DateTimeOffset FirstOffsetChange(TimeZoneInfo zone, DateTimeOffset lo, DateTimeOffset hi)
    {
        var loOffset = zone.GetUtcOffset(lo);
        long a = lo.ToUnixTimeSeconds(), b = hi.ToUnixTimeSeconds();
        while (b - a > 1)
        {
            var mid = a + ((b - a) / 2);
            if (zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(mid)) == loOffset)
            {
                a = mid;
            }
            else
            {
                b = mid;
            }
        }

        return DateTimeOffset.FromUnixTimeSeconds(b);
    }
}
