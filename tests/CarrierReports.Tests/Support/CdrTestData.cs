namespace CarrierReports.Tests.Support;

/// <summary>
/// Deterministic CDRs around the 2026 DST changes of Europe/London (Mar 29, Oct 25) and America/New_York (Mar 8, Nov 1),
/// with calls without a route, a route that never answers, and a few negative durations; written by <see cref="CdrTable"/>.
/// </summary>
public static class CdrTestData
{
    public static IReadOnlyList<TestCdr> Generate(int seed = 7, int perHour = 12)
    {
        var random = new Random(seed);
        var list = new List<TestCdr>();
        string?[] routes = ["uk-mobile", "uk-fixed", "de-mobile", "in-mobile", "np-fixed", "dead-route", null, "=cmd|' /C calc'!A0", "route,with \"quotes\""];
        foreach (var (from, to) in new[]
                 {
                     (new DateTimeOffset(2026, 2, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 7, 0, 0, 0, TimeSpan.Zero)),
                     (new DateTimeOffset(2026, 10, 22, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero)),
                 })
        {
            for (var hour = from; hour < to; hour = hour.AddHours(1))
            {
                var n = random.Next(perHour * 2);
                for (var i = 0; i < n; i++)
                {
                    var start = hour.AddSeconds(random.Next(3600)).AddMilliseconds(random.Next(1000) < 100 ? 0 : random.Next(1000));
                    var carrier = random.Next(10) < 7 ? 1L : random.Next(10) < 7 ? 2L : 3L;
                    var route = routes[random.Next(routes.Length)];
                    var answered = route != "dead-route" && random.NextDouble() < 0.55;
                    var duration = answered ? 1 + random.Next(600) : 0;
                    if (random.Next(2000) == 0)
                    {
                        duration = -5;
                    }

                    list.Add(new TestCdr(start, carrier, route, duration, answered ? 200 : random.Next(2) == 0 ? 486 : 503));
                }
            }
        }

        return list;
    }
}
