using CarrierReports.Cdr;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Tests.Reports.AsrPerRoute;

public sealed class RouteRankingTests
{
    [Fact]
    public void Of_IgnoresUnroutedCallsAndSmallSamples()
    {
        var report = Report(
            new PartialSum(0, null, 500, 0, 0m),
            new PartialSum(0, "tiny-perfect", 29, 29, 100m),
            new PartialSum(0, "tiny-awful", 29, 0, 0m),
            new PartialSum(0, "good", 100, 60, 100m),
            new PartialSum(0, "bad", 100, 20, 100m));

        var ranking = RouteRanking.Of(report, minimumSample: 30);

        Assert.Equal("good", ranking.Best?.Route);
        Assert.Equal("bad", ranking.Worst?.Route);
        Assert.Equal(2, ranking.Ranked);
        Assert.Equal(2, ranking.TooSmall);
    }

    [Fact]
    public void Of_BreaksTiesByAttemptsThenName()
    {
        var report = Report(
            new PartialSum(0, "b-small", 50, 25, 1m),
            new PartialSum(0, "a-small", 50, 25, 1m),
            new PartialSum(0, "big", 100, 50, 1m));

        var ranking = RouteRanking.Of(report, minimumSample: 30);

        Assert.Equal("big", ranking.Worst?.Route);
        Assert.Equal("big", ranking.Best?.Route);
    }

    [Fact]
    public void Of_WithoutEnoughTraffic_NamesNoRoute()
    {
        var ranking = RouteRanking.Of(Report(new PartialSum(0, "quiet", 5, 1, 1m)), minimumSample: 30);
        Assert.Null(ranking.Best);
        Assert.Null(ranking.Worst);
        Assert.Equal(1, ranking.TooSmall);
    }

    private static AsrPerRouteReport Report(params PartialSum[] sums)
    {
        var from = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = BucketPlan.Create(TimeZoneInfo.Utc, BucketSize.Day, from, from.AddDays(1));
        var request = new AsrPerRouteRequest("1", "One", new ReportPeriod("day", TimeZoneInfo.Utc, from, from.AddDays(1)), BucketSize.Day);
        return AsrPerRouteReport.Build(request, plan, sums, 0, "billsec > 0", from);
    }
}
