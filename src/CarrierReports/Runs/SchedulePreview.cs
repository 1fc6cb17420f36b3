using CarrierReports.Subscriptions;
using CarrierReports.Time;

namespace CarrierReports.Runs;

/// <summary>When a subscription fires next and what each fire reports, in its zone and in UTC; computed, nothing sent.</summary>
/// <param name="LatestSettled">The latest fire whose period has settled (its settle delay passed): what a run now would report.</param>
public sealed record SchedulePreview(string Id, string Carrier, string TimeZone, string Cadence, string Cron, TimeSpan SettleDelay,
    IReadOnlyList<FirePreview> NextFires, FirePreview? LatestSettled)
{
    /// <summary>The mail for <see cref="LatestSettled"/>, rendered and sent to nobody; only when asked for (<c>mail=true</c>), as it queries the CDRs.</summary>
    public MailPreview? Mail { get; init; }

    public static SchedulePreview Of(Subscription s, DateTimeOffset now, int count)
    {
        var fires = new List<FirePreview>();
        for (var t = s.NextFireAfter(now); t is { } fire && fires.Count < count; t = s.NextFireAfter(fire))
        {
            fires.Add(FirePreview.Of(s, fire));
        }

        var latest = s.LatestFireAtOrBefore(now - s.SettleDelay);
        var settled = latest is { } l && s.PeriodFor(l).UtcTo + s.SettleDelay <= now ? FirePreview.Of(s, l) : null;
        return new SchedulePreview(s.Id, s.Carrier, s.TimeZone.Id, s.Cadence, s.Cron, s.SettleDelay, fires, settled);
    }
}

/// <param name="Local">The fire time in the subscription's zone.</param>
/// <param name="SendsAt">When the report goes out: the fire time, or the period's end plus the settle delay if later.</param>
public sealed record FirePreview(DateTimeOffset Local, DateTimeOffset Utc, DateTimeOffset PeriodLocalFrom, DateTimeOffset PeriodLocalTo,
    DateTimeOffset PeriodUtcFrom, DateTimeOffset PeriodUtcTo, DateTimeOffset SendsAt)
{
    public static FirePreview Of(Subscription s, DateTimeOffset fire)
    {
        var p = s.PeriodFor(fire);
        var settle = p.UtcTo + s.SettleDelay;
        return new FirePreview(s.TimeZone.ToLocal(fire), fire.ToUniversalTime(), p.LocalFrom, p.LocalTo, p.UtcFrom, p.UtcTo, settle > fire ? settle : fire);
    }
}
