using CarrierReports.Access;
using CarrierReports.Subscriptions;

namespace CarrierReports.WebConsole.Overview;

/// <summary>A subscription's next fire time.</summary>
public sealed record NextFire(Subscription Subscription, DateTimeOffset At);

/// <summary>The overview's "next fires" and enabled count for one carrier scope.</summary>
public sealed record ScheduleFigures(IReadOnlyList<NextFire> NextFires, int Enabled);

public sealed partial class OverviewQueries
{
    private volatile FireSchedule? _schedule;

    /// <summary>
    /// Every enabled subscription's next fire, soonest first (ties by id), made from one list of subscriptions at one
    /// instant. It stays right until its first entry fires: nothing else can fire sooner.
    /// </summary>
    private sealed record FireSchedule(IReadOnlyList<Subscription> Source, IReadOnlyList<NextFire> Fires, IReadOnlyDictionary<string, int> EnabledByCarrier)
    {
        public bool ValidAt(IReadOnlyList<Subscription> source, DateTimeOffset now) => ReferenceEquals(source, Source) && (Fires.Count == 0 || Fires[0].At > now);
    }

    /// <summary>
    /// The next <paramref name="count"/> fires and the number of enabled subscriptions that <paramref name="scope"/>
    /// allows. Computing every enabled subscription's next fire (cron arithmetic over 10,000) took tens of ms per
    /// request; the sorted schedule is now made once per loaded list of subscriptions (<see cref="SubscriptionCatalog.LoadRecentAsync"/>)
    /// and kept until its soonest fire passes, and a request only walks it to the first matches of its scope.
    /// </summary>
    public async Task<ScheduleFigures> ScheduleAsync(CarrierScope scope, int count, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var subscriptions = await catalog.LoadRecentAsync(cancellationToken);
        var schedule = _schedule;
        if (schedule is null || !schedule.ValidAt(subscriptions, now))
        {
            schedule = Build(subscriptions, now);
            _schedule = schedule;
        }

        var fires = schedule.Fires.Where(f => scope.Allows(f.Subscription.Carrier)).Take(count).ToList();
        var enabled = scope.IsAll ? schedule.EnabledByCarrier.Values.Sum() : scope.Carriers.Sum(c => schedule.EnabledByCarrier.GetValueOrDefault(c));
        return new ScheduleFigures(fires, enabled);
    }

    private static FireSchedule Build(IReadOnlyList<Subscription> subscriptions, DateTimeOffset now)
    {
        var enabled = subscriptions.Where(s => s.Enabled).ToList();
        var fires = enabled.Select(s => s.NextFireAfter(now) is { } at ? new NextFire(s, at) : null).OfType<NextFire>()
            .OrderBy(f => f.At).ThenBy(f => f.Subscription.Id, StringComparer.Ordinal).ToList();
        var byCarrier = enabled.GroupBy(s => s.Carrier, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new FireSchedule(subscriptions, fires, byCarrier);
    }
}
