using CarrierReports.Subscriptions;

namespace CarrierReports.Tests.Subscriptions;

public sealed class CadenceTests
{
    [Theory]
    [InlineData("hourly", "0 0 * * * ?")]
    [InlineData("daily@06:00", "0 0 6 * * ?")]
    [InlineData("daily@6:05", "0 5 6 * * ?")]
    [InlineData("weekly@mon 06:00", "0 0 6 ? * MON")]
    [InlineData("monthly@1 06:00", "0 0 6 1 * ?")]
    [InlineData("monthly@last 23:30", "0 30 23 L * ?")]
    [InlineData("0 15 6 * * ?", "0 15 6 * * ?")]
    public void ToQuartzCron_Accepted(string cadence, string cron) =>
        Assert.Equal(cron, Cadence.ToQuartzCron(cadence, "Cadence"));

    [Theory]
    [InlineData("30 4 * * 1")]
    [InlineData("0 6 * * 0")]
    [InlineData("*/15 * * * *")]
    public void ToQuartzCron_FiveFieldCrontab_IsRewrittenAndParses(string cadence)
    {
        var cron = Cadence.ToQuartzCron(cadence, "Cadence");
        Assert.Equal(6, cron.Split(' ').Length);
        Assert.StartsWith("0 ", cron, StringComparison.Ordinal);
    }

    [Fact]
    public void ToQuartzCron_CrontabSunday_IsSunday()
    {
        var cron = Quartz.CronExpression.Parse(Cadence.ToQuartzCron("0 6 * * 0", "Cadence"));
        var next = cron.GetNextValidTimeAfter(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal(DayOfWeek.Sunday, next.DayOfWeek);
    }

    [Theory]
    [InlineData("0 6 * *", "expected 5 fields")]
    [InlineData("daily@25:00", "no such time of day")]
    [InlineData("weekly@funday 06:00", "is not a weekday")]
    [InlineData("monthly@40 06:00", "is not a day of the month")]
    [InlineData("fortnightly@06:00", "is not a cadence shortcut")]
    [InlineData("0 abc 6 * * ?", "is not a valid cron expression")]
    [InlineData("0 0 6 30 2 ?", "never fires")]
    [InlineData("", "is required")]
    public void ToQuartzCron_Bad_NamesFieldAndReason(string cadence, string reason)
    {
        var ex = Assert.Throws<InputException>(() => Cadence.ToQuartzCron(cadence, "Cadence"));
        Assert.Equal("Cadence", ex.Field);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }
}
