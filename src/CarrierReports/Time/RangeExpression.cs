using System.Globalization;
using System.Text.RegularExpressions;

namespace CarrierReports.Time;

/// <summary>
/// Turns a range expression into an exact UTC interval in a zone, at a reference instant ("now").
/// </summary>
/// <remarks>
/// Accepted forms (all intervals half-open: the end is excluded):
/// <list type="bullet">
/// <item>Names: <c>today</c>, <c>yesterday</c> (alias <c>previous-day</c>), <c>previous-hour</c>, <c>previous-week</c>
/// (ISO weeks, Monday start), <c>week-to-date</c>, <c>previous-month</c>, <c>month-to-date</c>, <c>previous-year</c>,
/// <c>year-to-date</c>, and <c>last-Nh</c> / <c>last-Nd</c> (e.g. <c>last-24h</c>, <c>last-7d</c>, <c>last-30d</c>).
/// "To date" ranges end at the reference instant.</item>
/// <item>A pair <c>FROM..TO</c> of points. A point is <c>now</c> followed by steps such as <c>-7d</c>, <c>+1h</c> or a
/// rounding <c>/d</c> (Grafana style; units s, m, h, d, w, M, y; <c>m</c> is minutes, <c>M</c> months); or a local
/// date-time in the zone (<c>2026-03-01</c>, <c>2026-03-01T06:00</c>); or an instant with an offset
/// (<c>2026-03-01T06:00:00Z</c>). Unlike Grafana, a rounded end is the start of its unit, because the end is exclusive:
/// <c>now-7d/d..now/d</c> is the seven whole days before today.</item>
/// </list>
/// Seconds, minutes and hours move the instant; days, weeks, months and years move the local calendar, so
/// <c>now-1d</c> on the day after a DST change is the same wall-clock time yesterday.
/// </remarks>
public static partial class RangeExpression
{
    public static readonly IReadOnlyList<string> Names =
    [
        "today", "yesterday", "previous-day", "previous-hour", "previous-week", "week-to-date", "previous-month",
        "month-to-date", "previous-year", "year-to-date", "last-24h", "last-7d", "last-30d",
    ];

    public static ReportPeriod Resolve(string? expression, TimeZoneInfo zone, DateTimeOffset now, string field = "--range")
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new InputException(field, "a range is required, e.g. previous-month, yesterday or now-7d/d..now/d");
        }

        var text = expression.Trim();
        var (from, to) = ResolveName(text, zone, now) ?? ResolvePair(text, zone, now, field);
        if (from >= to)
        {
            throw new InputException(field, $"'{text}' starts at {Show(zone, from)} which is not before its end {Show(zone, to)}");
        }

        return new ReportPeriod(text, zone, from, to);
    }

    /// <summary>Resolves separate from/to points (the CLI's <c>--from</c>/<c>--to</c>).</summary>
    public static ReportPeriod Resolve(string? from, string? to, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            throw new InputException("--from", "is required with --to");
        }

        if (string.IsNullOrWhiteSpace(to))
        {
            throw new InputException("--to", "is required with --from");
        }

        var f = ResolvePoint(from.Trim(), zone, now, "--from");
        var t = ResolvePoint(to.Trim(), zone, now, "--to");
        if (f >= t)
        {
            throw new InputException("--to", $"'{to}' ({Show(zone, t)}) must be after --from '{from}' ({Show(zone, f)})");
        }

        return new ReportPeriod($"{from.Trim()}..{to.Trim()}", zone, f, t);
    }

    private static string Show(TimeZoneInfo zone, DateTimeOffset t) =>
        zone.ToLocal(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static (DateTimeOffset, DateTimeOffset)? ResolveName(string name, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = zone.ToLocal(now).DateTime;
        DateTimeOffset L(DateTime d) => zone.ResolveLocal(d);
        var today = local.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var month = new DateTime(local.Year, local.Month, 1);

        switch (name.ToLowerInvariant())
        {
            case "today": return (L(today), L(today.AddDays(1)));
            case "yesterday" or "previous-day": return (L(today.AddDays(-1)), L(today));
            case "previous-hour":
                // Step back one hour of real time so the repeated hour of a fall-back day is reported too.
                var thisHour = BucketPlan.Create(zone, BucketSize.Hour, now.AddHours(-2), now.AddSeconds(1)).Buckets
                    .Last(b => b.UtcStart <= now);
                var prevHour = BucketPlan.Create(zone, BucketSize.Hour, thisHour.UtcStart.AddHours(-2), thisHour.UtcStart).Buckets[^1];
                return (prevHour.UtcStart, thisHour.UtcStart);
            case "previous-week": return (L(monday.AddDays(-7)), L(monday));
            case "week-to-date": return (L(monday), now);
            case "previous-month": return (L(month.AddMonths(-1)), L(month));
            case "month-to-date": return (L(month), now);
            case "previous-year": return (L(new DateTime(local.Year - 1, 1, 1)), L(new DateTime(local.Year, 1, 1)));
            case "year-to-date": return (L(new DateTime(local.Year, 1, 1)), now);
        }

        var last = LastPattern().Match(name);
        if (last.Success)
        {
            var n = int.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n is < 1 or > 3660)
            {
                return null;
            }

            return last.Groups[2].Value == "h"
                ? (now.AddHours(-n), now)
                : (L(local.AddDays(-n)), now);
        }

        return null;
    }

    private static (DateTimeOffset, DateTimeOffset) ResolvePair(string text, TimeZoneInfo zone, DateTimeOffset now, string field)
    {
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new InputException(field, $"'{text}' is not a range: use one of {string.Join(", ", Names)}, last-Nh, last-Nd, or FROM..TO such as now-7d/d..now/d or 2026-03-01..2026-04-01");
        }

        return (ResolvePoint(parts[0], zone, now, field), ResolvePoint(parts[1], zone, now, field));
    }

    /// <summary>Resolves one point: a now-expression, a local date(-time), or an instant with an offset.</summary>
    public static DateTimeOffset ResolvePoint(string text, TimeZoneInfo zone, DateTimeOffset now, string field)
    {
        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            return ResolveNow(text, zone, now, field);
        }

        string[] localFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(text, localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return zone.ResolveLocal(local);
        }

        string[] instantFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        if (text.Length > 16 && (text.EndsWith('Z') || text[^6] is '+' or '-') &&
            DateTimeOffset.TryParseExact(text, instantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new InputException(field, $"'{text}' is not a time: use a local date-time (2026-03-01 or 2026-03-01T06:00), an instant with offset (2026-03-01T06:00:00Z) or now-expression (now-1d/d)");
    }

    private static DateTimeOffset ResolveNow(string text, TimeZoneInfo zone, DateTimeOffset now, string field)
    {
        var rest = text.AsSpan(3);
        var t = now.ToUniversalTime();
        while (!rest.IsEmpty)
        {
            var m = StepPattern().Match(rest.ToString());
            if (!m.Success)
            {
                throw new InputException(field, $"'{text}' is not a valid now-expression at '{rest.ToString()}': use steps like -7d, +1h and a rounding like /d (units s m h d w M y)");
            }

            var unit = m.Groups["unit"].Value[0];
            if (m.Groups["round"].Success)
            {
                t = RoundDown(t, unit, zone);
            }
            else
            {
                var amount = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                if (m.Groups["sign"].Value == "-")
                {
                    amount = -amount;
                }

                t = Add(t, amount, unit, zone);
            }

            rest = rest[m.Length..];
        }

        return t;
    }

    private static DateTimeOffset Add(DateTimeOffset t, int n, char unit, TimeZoneInfo zone)
    {
        switch (unit)
        {
            case 's': return t.AddSeconds(n);
            case 'm': return t.AddMinutes(n);
            case 'h': return t.AddHours(n);
        }

        var local = zone.ToLocal(t).DateTime;
        local = unit switch
        {
            'd' => local.AddDays(n),
            'w' => local.AddDays(7 * n),
            'M' => local.AddMonths(n),
            'y' => local.AddYears(n),
            _ => throw new ArgumentOutOfRangeException(nameof(unit)),
        };
        return zone.ResolveLocal(local);
    }

    private static DateTimeOffset RoundDown(DateTimeOffset t, char unit, TimeZoneInfo zone)
    {
        var local = zone.ToLocal(t).DateTime;
        switch (unit)
        {
            case 's': return new DateTimeOffset(t.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            case 'm':
                // Whole minutes: offsets are whole minutes, so rounding the instant equals rounding the local clock.
                return new DateTimeOffset(t.UtcDateTime.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
            case 'h':
                return BucketPlan.Create(zone, BucketSize.Hour, t.AddHours(-2), t.AddSeconds(1)).Buckets.Last(b => b.UtcStart <= t).UtcStart;
        }

        var start = unit switch
        {
            'd' => local.Date,
            'w' => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            'M' => new DateTime(local.Year, local.Month, 1),
            'y' => new DateTime(local.Year, 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(unit)),
        };
        return zone.ResolveLocal(start);
    }

    [GeneratedRegex(@"^last-(\d{1,4})(h|d)$")]
    private static partial Regex LastPattern();

    [GeneratedRegex(@"^(?:(?<sign>[+-])(?<n>\d{1,6})(?<unit>[smhdwMy])|(?<round>/)(?<unit>[smhdwMy]))")]
    private static partial Regex StepPattern();
}
