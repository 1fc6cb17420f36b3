using CarrierReports.Rendering;
using CarrierReports.Subscriptions;
using CarrierReports.Time;

namespace CarrierReports.Tests.Subscriptions;

/// <summary><see cref="Subscription.Create"/>: validation is construction, and the typed subscription's behaviour.</summary>
public sealed class SubscriptionTests
{
    private static SubscriptionDefinition Valid() => new()
    {
        Id = "acme-daily",
        Carrier = "544",
        Range = "previous-day",
        TimeZone = "Europe/Berlin",
        Bucket = "hour",
        Cadence = "daily@02:30",
        Recipients = new SubscriptionRecipients { To = ["NOC@acme.example", "noc@acme.example"], Bcc = ["Audit <audit@carrier.example>"] },
    };

    private static IReadOnlyList<string> Errors(SubscriptionDefinition d, string origin = "config/subscriptions/acme.json") =>
        Assert.Throws<SubscriptionException>(() => Subscription.Create(d, origin)).Errors;

    [Fact]
    public void Create_Valid_ParsesEveryField()
    {
        var s = Subscription.Create(Valid(), "settings Subscriptions:0");

        Assert.Equal("Europe/Berlin", s.TimeZone.Id);
        Assert.Equal(BucketSize.Hour, s.Bucket);
        Assert.Equal("0 30 2 * * ?", s.Cron);
        Assert.Equal([ReportFormatKind.Pdf, ReportFormatKind.Xlsx, ReportFormatKind.Csv], s.Formats);
        Assert.Equal(["noc@acme.example", "audit@carrier.example"], s.Addresses);
        Assert.Null(s.TemplateFolder);
        Assert.Equal("settings Subscriptions:0", s.Origin);
    }

    [Fact]
    public void Create_EveryBadField_OneErrorEachNamingSubscriptionOriginAndField()
    {
        var d = Valid();
        d.TimeZone = "Mars/Olympus";
        d.Bucket = "week";
        d.Cadence = "daily@25:00";
        d.Formats = ["pdf", "docx"];
        d.Recipients = new SubscriptionRecipients { To = ["not an address"] };
        d.SettleDelay = TimeSpan.FromDays(8);
        d.AsrWarningThresholdPct = 101;
        d.MinimumSample = -1;
        d.ReportType = "acd";

        var errors = Errors(d);

        Assert.All(errors, e => Assert.StartsWith("subscription 'acme-daily' (config/subscriptions/acme.json): ", e, StringComparison.Ordinal));
        foreach (var field in new[] { "TimeZone", "Bucket", "Cadence", "Formats", "Recipients:To", "SettleDelay", "AsrWarningThresholdPct", "MinimumSample", "ReportType" })
        {
            Assert.Single(errors, e => e.Contains($": {field}: ", StringComparison.Ordinal));
        }

        Assert.Equal(9, errors.Count);
    }

    [Theory]
    [InlineData("Acme", "Id: 'Acme' must be 1–64 characters")]
    [InlineData("", "subscription in here: Id: '' must be")]
    public void Create_BadId_NamesTheId(string id, string expected)
    {
        var d = Valid();
        d.Id = id;
        Assert.Contains(Errors(d, "here"), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_NoRecipients_AndMissingTemplateFolder_AreErrors()
    {
        var d = Valid();
        d.Recipients = new SubscriptionRecipients();
        d.TemplateFolder = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"));

        var errors = Errors(d);

        Assert.Contains(errors, e => e.EndsWith("Recipients: name at least one address in To, Cc or Bcc", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TemplateFolder: folder '", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_RangeThatDoesNotResolve_IsAnErrorOfRange()
    {
        var d = Valid();
        d.Range = "yesterday-ish";
        Assert.Contains(Errors(d), e => e.Contains(": Range: ", StringComparison.Ordinal));
    }

    [Fact]
    public void PeriodFor_IsTheRangeAtTheFireTimeInTheZone()
    {
        var s = Subscription.Create(Valid(), "test");
        var fire = new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero); // 02:30 CET, the day after the fall-back day

        var period = s.PeriodFor(fire);

        Assert.Equal(new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero), period.UtcFrom); // 00:00 CEST
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), period.UtcTo);   // 00:00 CET: a 25-hour day
    }

    [Fact]
    public void FireTimesBetween_AndNextFireAfter_FollowTheCadenceInTheZone()
    {
        var s = Subscription.Create(Valid(), "test");
        var from = new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

        var fires = s.FireTimesBetween(from, from.AddDays(3));

        Assert.Equal(3, fires.Count); // one a local day, the spring-forward day (no 02:30 in Berlin) included
        Assert.Equal([new DateTime(2026, 3, 28), new DateTime(2026, 3, 29), new DateTime(2026, 3, 30)], fires.Select(f => TimeZoneInfo.ConvertTime(f, s.TimeZone).Date));
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), fires[0]); // 02:30 CET
        Assert.Equal(fires[0], s.NextFireAfter(from));
        Assert.Equal(fires[1], s.NextFireAfter(fires[0]));
        Assert.Equal(fires[^1], s.LatestFireAtOrBefore(from.AddDays(3)));
        Assert.Empty(s.FireTimesBetween(fires[0], fires[0].AddHours(23)));
    }

    [Fact]
    public void SameSchedule_OnlyCadenceAndZoneCount()
    {
        var s = Subscription.Create(Valid(), "test");
        var otherRecipients = Valid();
        otherRecipients.Recipients = new SubscriptionRecipients { To = ["someone@else.example"] };
        var otherCadence = Valid();
        otherCadence.Cadence = "daily@03:30";
        var otherZone = Valid();
        otherZone.TimeZone = "Europe/London";

        Assert.True(s.SameSchedule(Subscription.Create(otherRecipients, "test")));
        Assert.False(s.SameSchedule(Subscription.Create(otherCadence, "test")));
        Assert.False(s.SameSchedule(Subscription.Create(otherZone, "test")));
    }
}
