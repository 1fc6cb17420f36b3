using CarrierReports.Time;

namespace CarrierReports.Tests.Time;

public sealed class RangeExpressionTests
{
    private static readonly TimeZoneInfo London = Zones.Find("Europe/London", "zone");

    // Wednesday 2026-04-15 10:20:30 BST
    private static readonly DateTimeOffset Now = new(2026, 4, 15, 9, 20, 30, TimeSpan.Zero);

    private static (string From, string To) Resolve(string expression, TimeZoneInfo? zone = null, DateTimeOffset? now = null)
    {
        var p = RangeExpression.Resolve(expression, zone ?? London, now ?? Now);
        return (CarrierReports.Rendering.ReportFormat.LocalTime(p.LocalFrom), CarrierReports.Rendering.ReportFormat.LocalTime(p.LocalTo));
    }

    [Theory]
    [InlineData("today", "2026-04-15T00:00:00+01:00", "2026-04-16T00:00:00+01:00")]
    [InlineData("yesterday", "2026-04-14T00:00:00+01:00", "2026-04-15T00:00:00+01:00")]
    [InlineData("previous-day", "2026-04-14T00:00:00+01:00", "2026-04-15T00:00:00+01:00")]
    [InlineData("previous-hour", "2026-04-15T09:00:00+01:00", "2026-04-15T10:00:00+01:00")]
    [InlineData("previous-week", "2026-04-06T00:00:00+01:00", "2026-04-13T00:00:00+01:00")]
    [InlineData("week-to-date", "2026-04-13T00:00:00+01:00", "2026-04-15T10:20:30+01:00")]
    [InlineData("previous-month", "2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+01:00")]
    [InlineData("month-to-date", "2026-04-01T00:00:00+01:00", "2026-04-15T10:20:30+01:00")]
    [InlineData("previous-year", "2025-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00")]
    [InlineData("last-24h", "2026-04-14T10:20:30+01:00", "2026-04-15T10:20:30+01:00")]
    [InlineData("last-7d", "2026-04-08T10:20:30+01:00", "2026-04-15T10:20:30+01:00")]
    [InlineData("now-7d/d..now/d", "2026-04-08T00:00:00+01:00", "2026-04-15T00:00:00+01:00")]
    [InlineData("now-1M/M..now/M", "2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+01:00")]
    [InlineData("now/w..now", "2026-04-13T00:00:00+01:00", "2026-04-15T10:20:30+01:00")]
    [InlineData("2026-03-29..2026-03-30", "2026-03-29T00:00:00+00:00", "2026-03-30T00:00:00+01:00")]
    [InlineData("2026-03-01T06:00:00Z..now/d", "2026-03-01T06:00:00+00:00", "2026-04-15T00:00:00+01:00")]
    public void Resolve_Expression_GivesLocalBounds(string expression, string from, string to) =>
        Assert.Equal((from, to), Resolve(expression));

    [Fact]
    public void Resolve_PreviousDayAcrossSpringForward_Has23Hours()
    {
        var p = RangeExpression.Resolve("yesterday", London, new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromHours(23), p.Length);
    }

    [Fact]
    public void Resolve_LastDaysAcrossDst_MovesTheLocalCalendar()
    {
        // 7 local days back from just after the spring-forward change is 7×24−1 hours.
        var p = RangeExpression.Resolve("last-7d", London, new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromHours((7 * 24) - 1), p.Length);
    }

    [Fact]
    public void Resolve_PreviousHourInRepeatedFallBackHour_IsTheFirstOneOClock()
    {
        // 01:30 GMT (second pass of 01:00–02:00) on 2026-10-25: the previous hour is 01:00 BST.
        var now = new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero);
        var p = RangeExpression.Resolve("previous-hour", London, now);
        Assert.Equal("2026-10-25T01:00:00+01:00", CarrierReports.Rendering.ReportFormat.LocalTime(p.LocalFrom));
        Assert.Equal("2026-10-25T01:00:00+00:00", CarrierReports.Rendering.ReportFormat.LocalTime(p.LocalTo));
    }

    [Fact]
    public void Resolve_Kathmandu_Today_StartsAtLocalMidnight()
    {
        var p = RangeExpression.Resolve("today", Zones.Find("Asia/Kathmandu", "zone"), Now);
        Assert.Equal(new DateTimeOffset(2026, 4, 14, 18, 15, 0, TimeSpan.Zero), p.UtcFrom);
    }

    [Theory]
    [InlineData("last-week-ish", "--range")]
    [InlineData("now-7x..now", "--range")]
    [InlineData("now..now-1d", "--range")]
    [InlineData("2026-13-01..2026-12-01", "--range")]
    [InlineData("", "--range")]
    public void Resolve_BadExpression_NamesTheField(string expression, string field)
    {
        var ex = Assert.Throws<InputException>(() => RangeExpression.Resolve(expression, London, Now));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Resolve_FromNotBeforeTo_IsRejectedNamingTo()
    {
        var ex = Assert.Throws<InputException>(() => RangeExpression.Resolve("2026-03-02", "2026-03-01", London, Now));
        Assert.Equal("--to", ex.Field);
    }
}
