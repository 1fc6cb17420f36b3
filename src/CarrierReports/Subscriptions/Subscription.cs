using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Time;
using Quartz;

namespace CarrierReports.Subscriptions;

/// <summary>
/// A standing order for a report, validated: which carrier, which period (a range expression resolved at each fire
/// time), how often (a Quartz cron in the subscription's zone), in which formats and to whom. Made only by
/// <see cref="Create"/>, so a <see cref="Subscription"/> that exists is valid; nothing downstream parses its fields again.
/// </summary>
public sealed partial record Subscription
{
    public string Id { get; private init; } = "";

    public string? Name { get; private init; }

    public bool Enabled { get; private init; }

    public string Carrier { get; private init; } = "";

    public string ReportType { get; private init; } = "";

    /// <summary>The range expression as written, e.g. <c>previous-day</c>; known to resolve in <see cref="TimeZone"/>.</summary>
    public string Range { get; private init; } = "";

    public TimeZoneInfo TimeZone { get; private init; } = TimeZoneInfo.Utc;

    public BucketSize Bucket { get; private init; }

    /// <summary>The cadence as written (e.g. <c>daily@06:00</c>), for display.</summary>
    public string Cadence { get; private init; } = "";

    /// <summary>The cadence as a Quartz cron expression, evaluated in <see cref="TimeZone"/>.</summary>
    public string Cron { get; private init; } = "";

    public TimeSpan SettleDelay { get; private init; }

    /// <summary>The formats to render, never empty (pdf, xlsx and csv when the definition names none).</summary>
    public IReadOnlyList<ReportFormatKind> Formats { get; private init; } = [];

    /// <summary>The addresses as configured (each one checked).</summary>
    public MailRecipients Recipients { get; private init; } = MailRecipients.ToOnly();

    /// <summary>Every distinct recipient address, lower-case: the keys of the exactly-once delivery record.</summary>
    public IReadOnlyList<string> Addresses { get; private init; } = [];

    /// <summary>Folder of this subscription's own templates; null means the default folder.</summary>
    public string? TemplateFolder { get; private init; }

    public decimal AsrWarningThresholdPct { get; private init; }

    public long MinimumSample { get; private init; }

    public bool SkipIfEmpty { get; private init; }

    /// <summary>Where it came from, for messages: a file path, <c>settings Subscriptions:0</c> or <c>database</c>.</summary>
    public string Origin { get; private init; } = "";

    /// <summary>The definition it was made from, e.g. to store or show it as written.</summary>
    public SubscriptionDefinition Definition { get; private init; } = new();

    /// <summary>The period reported for the fire time <paramref name="fireTime"/> (never the clock at execution).</summary>
    public ReportPeriod PeriodFor(DateTimeOffset fireTime) => RangeExpression.Resolve(Range, TimeZone, fireTime, "Range");

    /// <summary>The first fire time after <paramref name="after"/>, or null when the cadence never fires again.</summary>
    public DateTimeOffset? NextFireAfter(DateTimeOffset after) => NewCron().GetNextValidTimeAfter(after);

    /// <summary>The fire times in (<paramref name="after"/>, <paramref name="until"/>], oldest first (at most 100,000).</summary>
    /// <summary>The most fire times <see cref="FireTimesBetween"/> lists; it lists one more to show there are more.</summary>
    public const int MaxFireTimes = 100_000;

    public IReadOnlyList<DateTimeOffset> FireTimesBetween(DateTimeOffset after, DateTimeOffset until)
    {
        var cron = NewCron();
        var list = new List<DateTimeOffset>();
        for (var t = cron.GetNextValidTimeAfter(after); t is { } fire && fire <= until && list.Count <= MaxFireTimes; t = cron.GetNextValidTimeAfter(fire))
        {
            list.Add(fire);
        }

        return list;
    }

    /// <summary>The latest fire time at or before <paramref name="cutoff"/>, looking back at most a year.</summary>
    public DateTimeOffset? LatestFireAtOrBefore(DateTimeOffset cutoff)
    {
        var cron = NewCron();
        // Look back in growing steps, so a 5-second cadence and a yearly one both cost a few hundred steps at most.
        foreach (var back in new[] { TimeSpan.FromMinutes(10), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(370) })
        {
            DateTimeOffset? latest = null;
            var steps = 0;
            for (var t = cron.GetNextValidTimeAfter(cutoff - back); t is { } fire && fire <= cutoff && steps < 200_000; t = cron.GetNextValidTimeAfter(fire), steps++)
            {
                latest = fire;
            }

            if (latest is not null)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>
    /// True when a scheduler must rebuild this subscription's trigger to follow <paramref name="other"/>: its cadence or
    /// zone changed. Other fields are read at each run and need no rescheduling.
    /// </summary>
    public bool SameSchedule(Subscription other) => Cron == other.Cron && TimeZone.Id == other.TimeZone.Id;


    private CronExpression NewCron() => CronExpression.Parse(Cron).WithTimeZone(TimeZone);
}
