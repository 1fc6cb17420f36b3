using CarrierReports.Time;

namespace CarrierReports.Tests.Time;

public sealed class BucketPlanTests
{
    private static BucketPlan Plan(string zone, string localFrom, string localTo, BucketSize size)
    {
        var z = Zones.Find(zone, "zone");
        var from = RangeExpression.ResolvePoint(localFrom, z, DateTimeOffset.UnixEpoch, "from");
        var to = RangeExpression.ResolvePoint(localTo, z, DateTimeOffset.UnixEpoch, "to");
        return BucketPlan.Create(z, size, from, to);
    }

    [Fact]
    public void Create_HourlySpringForwardInLondon_Has23BucketsAndSkipsOneOClock()
    {
        var plan = Plan("Europe/London", "2026-03-29", "2026-03-30", BucketSize.Hour);
        Assert.Equal(23, plan.Buckets.Count);
        Assert.DoesNotContain(plan.Buckets, b => b.LocalStart.Hour == 1);
        Assert.All(plan.Buckets, b => Assert.Equal(TimeSpan.FromHours(1), b.Length));
    }

    [Fact]
    public void Create_HourlyFallBackInLondon_Has25BucketsWithOneOClockTwice()
    {
        var plan = Plan("Europe/London", "2026-10-25", "2026-10-26", BucketSize.Hour);
        Assert.Equal(25, plan.Buckets.Count);
        var ones = plan.Buckets.Where(b => b.LocalStart.Hour == 1).ToList();
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.Zero], ones.Select(b => b.LocalStart.Offset));
    }

    [Fact]
    public void Create_DailyAcrossSpringForward_DayIs23Hours()
    {
        var plan = Plan("Europe/London", "2026-03-28", "2026-03-31", BucketSize.Day);
        Assert.Equal([24, 23, 24], plan.Buckets.Select(b => b.Length.TotalHours));
        Assert.All(plan.Buckets, b => Assert.Equal(TimeSpan.Zero, b.LocalStart.TimeOfDay));
    }

    [Fact]
    public void Create_DailyAcrossFallBackInNewYork_DayIs25Hours()
    {
        var plan = Plan("America/New_York", "2026-11-01", "2026-11-02", BucketSize.Day);
        Assert.Equal(25, Assert.Single(plan.Buckets).Length.TotalHours);
    }

    [Theory]
    [InlineData("Asia/Kolkata", 30)]
    [InlineData("Asia/Kathmandu", 15)]
    public void Create_HourlyInFractionalZone_BucketsStartOnLocalHours(string zone, int utcMinute)
    {
        var plan = Plan(zone, "2026-03-10", "2026-03-11", BucketSize.Hour);
        Assert.Equal(24, plan.Buckets.Count);
        Assert.All(plan.Buckets, b =>
        {
            Assert.Equal(0, b.LocalStart.Minute);
            Assert.Equal(utcMinute, b.UtcStart.Minute);
        });
    }

    [Fact]
    public void Create_MidnightSkippedBySantiagoSpringForward_DayStartsAtOneOClock()
    {
        // Chile moves from -04 to -03 at local midnight on the first Sunday of September: that day starts at 01:00.
        var plan = Plan("America/Santiago", "2026-09-05", "2026-09-08", BucketSize.Day);
        Assert.Equal(3, plan.Buckets.Count);
        Assert.Equal(new TimeSpan(1, 0, 0), plan.Buckets[1].LocalStart.TimeOfDay);
        Assert.Equal(23, plan.Buckets[1].Length.TotalHours);
    }

    [Fact]
    public void Create_Monthly_FollowsLocalMonthStarts()
    {
        var plan = Plan("Europe/London", "2026-01-01", "2027-01-01", BucketSize.Month);
        Assert.Equal(12, plan.Buckets.Count);
        Assert.All(plan.Buckets, b => Assert.Equal((1, 0), (b.LocalStart.Day, b.LocalStart.Hour)));
        Assert.Equal(TimeSpan.FromHours(1), plan.Buckets[5].LocalStart.Offset);
    }

    [Fact]
    public void Create_RangeNotAligned_FirstAndLastBucketsAreClipped()
    {
        var plan = Plan("UTC", "2026-03-10T10:30", "2026-03-10T12:15", BucketSize.Hour);
        Assert.Equal(["10:30", "11:00", "12:00"], plan.Buckets.Select(b => b.LocalStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(TimeSpan.FromMinutes(15), plan.Buckets[^1].Length);
    }
}
