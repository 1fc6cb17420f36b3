using CarrierReports.Subscriptions;

namespace CarrierReports.Health;

/// <summary>
/// The health check's overdue list over every enabled subscription, reused for <see cref="MaxAge"/> as the list of
/// subscriptions is (<see cref="SubscriptionCatalog.LoadRecentAsync"/>): the console's overdue filter asks for it on
/// every request, and checking 10,000 subscriptions took 0.5-1 s each time. One check runs at a time; requests that
/// arrive meanwhile wait for its answer instead of starting their own.
/// </summary>
public sealed class OverdueListCache(SubscriptionCatalog catalog, HealthCheck check, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = SubscriptionCatalog.LookupCacheTime;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _last;

    private sealed record Entry(IReadOnlyList<Subscription> Subscriptions, IReadOnlySet<string> Overdue, DateTimeOffset At, long Generation);

    /// <summary>The subscriptions the list was made from and the ids among them the check counts as overdue.</summary>
    public async Task<(IReadOnlyList<Subscription> Subscriptions, IReadOnlySet<string> Overdue)> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_last) is { } hit)
        {
            return (hit.Subscriptions, hit.Overdue);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_last) is not { } entry)
            {
                var generation = catalog.Generation;
                var subscriptions = await catalog.LoadRecentAsync(cancellationToken);
                var overdue = await check.OverdueAsync(subscriptions, cancellationToken);
                entry = new Entry(subscriptions, overdue.Select(o => o.SubscriptionId).ToHashSet(StringComparer.Ordinal), time.GetUtcNow(), generation);
                _last = entry;
            }

            return (entry.Subscriptions, entry.Overdue);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Young enough, and no subscription was saved in this process since (a save shows at once, as in the list).</summary>
    private Entry? Fresh(Entry? entry) =>
        entry is not null && time.GetUtcNow() - entry.At < MaxAge && entry.Generation == catalog.Generation ? entry : null;
}
