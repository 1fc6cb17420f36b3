using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Quartz;

namespace CarrierReports.Tests.Scheduling;

/// <summary>
/// A 02:30 daily schedule in a zone whose clocks change at 02:00/03:00 (Europe/Berlin): on the spring-forward day
/// 02:30 does not exist, on the fall-back day it exists twice. Either way the schedule must fire exactly once that
/// local day (Quartz.NET issues 2475 and 587 describe double and missing fires).
/// </summary>
public sealed class DstScheduleTests
{
    private static readonly TimeZoneInfo Berlin = Zones.Find("Europe/Berlin", "zone");

    private static List<DateTimeOffset> Fires(DateTimeOffset from, DateTimeOffset to)
    {
        var trigger = TriggerBuilder.Create()
            .WithCronSchedule(Cadence.ToQuartzCron("daily@02:30", "Cadence"), x => x.InTimeZone(Berlin))
            .StartAt(from)
            .Build();
        var fires = new List<DateTimeOffset>();
        for (var t = trigger.GetFireTimeAfter(from.AddSeconds(-1)); t is { } f && f < to; t = trigger.GetFireTimeAfter(f))
        {
            fires.Add(f);
        }

        return fires;
    }

    [Theory]
    [InlineData(2026, 3, 29)]  // spring forward: 02:00 -> 03:00
    [InlineData(2026, 10, 25)] // fall back: 03:00 -> 02:00, 02:30 happens twice
    public void DailyAt0230_OnDstChangeDay_FiresExactlyOnce(int year, int month, int day)
    {
        var date = new DateTime(year, month, day);
        var from = Berlin.ResolveLocal(date.AddDays(-2));
        var to = Berlin.ResolveLocal(date.AddDays(3));
        var fires = Fires(from, to);

        var perLocalDay = fires.GroupBy(f => TimeZoneInfo.ConvertTime(f, Berlin).Date).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, perLocalDay.Count);
        Assert.All(perLocalDay.Values, count => Assert.Equal(1, count));
        Assert.Equal(1, perLocalDay[date]);
    }

    [Fact]
    public void DailyAt0230_OnFallBackDay_FiresAtTheFirst0230()
    {
        var fires = Fires(Berlin.ResolveLocal(new DateTime(2026, 10, 25)), Berlin.ResolveLocal(new DateTime(2026, 10, 26)));
        var fire = Assert.Single(fires);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), fire); // 02:30 CEST (+02:00)
    }

    [Fact]
    public void DailyAt0230_OnSpringForwardDay_FiresOnThatDay()
    {
        var fires = Fires(Berlin.ResolveLocal(new DateTime(2026, 3, 29)), Berlin.ResolveLocal(new DateTime(2026, 3, 30)));
        var fire = Assert.Single(fires);
        Assert.Equal(new DateTime(2026, 3, 29), TimeZoneInfo.ConvertTime(fire, Berlin).Date);
    }
}
