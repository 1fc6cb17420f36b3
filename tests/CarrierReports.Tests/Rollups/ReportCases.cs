using System.Globalization;

namespace CarrierReports.Tests.Rollups;

/// <summary>Random reports over the test data's two windows: carriers, zones (DST and fractional offsets), buckets, ranges.</summary>
public static class ReportCases
{
    private static readonly string[] Zones =
        ["Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "UTC", "Australia/Lord_Howe"];

    private static readonly (DateTime From, DateTime To)[] Windows =
        [(new DateTime(2026, 2, 26), new DateTime(2026, 4, 6)), (new DateTime(2026, 10, 23), new DateTime(2026, 11, 3))];

    /// <summary>The DST days of London, New York and Chatham in the data, hourly, and each rollup tier, always included.</summary>
    public static IEnumerable<ReportCase> Fixed() =>
    [
        new("1", "Europe/London", "2026-03-29", "2026-03-30", "hour"),
        new("1", "Europe/London", "2026-10-25", "2026-10-26", "hour"),
        new("2", "America/New_York", "2026-03-08", "2026-03-09", "hour"),
        new("1", "America/New_York", "2026-10-31", "2026-11-03", "hour"),
        new("1", "Pacific/Chatham", "2026-04-04", "2026-04-06", "hour"),
        new("3", "Asia/Kathmandu", "2026-03-01", "2026-04-01", "day"),
        new("1", "Asia/Kolkata", "2026-10-01", "2026-12-01", "month"),
        new("999", "UTC", "2026-03-01", "2026-03-02", "day"),
        // Whole UTC days (the day tier) with hours and slots around them: a winter London month, a UTC month of days.
        new("2", "Europe/London", "2026-02-27", "2026-04-02", "day"),
        new("3", "UTC", "2026-03-01", "2026-04-01", "day"),
        new("1", "Asia/Kolkata", "2026-03-27", "2026-03-30", "hour"),
    ];

    public static IEnumerable<ReportCase> Random(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var zone = Zones[random.Next(Zones.Length)];
            var carrier = (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture);
            var (wFrom, wTo) = Windows[random.Next(Windows.Length)];
            var bucket = random.Next(3) switch { 0 => "hour", 1 => "day", _ => "month" };
            DateTime from, to;
            if (bucket == "month")
            {
                from = new DateTime(wFrom.Year, wFrom.Month, 1);
                to = from.AddMonths(1 + random.Next(3));
            }
            else
            {
                from = wFrom.AddDays(random.Next((wTo - wFrom).Days));
                to = from.AddDays(1 + random.Next(bucket == "hour" ? 3 : 30));
            }

            yield return new ReportCase(carrier, zone, Day(from), Day(to), bucket);
        }
    }

    private static string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
