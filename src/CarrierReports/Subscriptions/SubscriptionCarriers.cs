using CarrierReports.Access;
using System.Text.Json;
using Dapper;

namespace CarrierReports.Subscriptions;

/// <summary>
/// The carrier of every subscription id the ledger may name, including deleted ones (from their last version): runs,
/// deliveries and archive entries are scoped by it.
/// </summary>
public sealed class SubscriptionCarriers(SubscriptionCatalog catalog, SubscriptionVersionSchema schema, Storage.SubscriptionTable table, TimeProvider time)
{
    private volatile CachedMap? _recent;
    private int _remaking;

    /// <summary>The full map, when it was made, and the catalog's generation it was made at.</summary>
    private sealed record CachedMap(IReadOnlyDictionary<string, string> Map, long Generation, DateTimeOffset Until);

    /// <summary>
    /// The carriers of <paramref name="ids"/> only (one page of runs): the same answer as <see cref="MapAsync(CancellationToken)"/>
    /// for them, without reading and validating every subscription on every request.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> MapAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return map;
        }

        await using (var connection = await schema.OpenAsync(cancellationToken))
        {
            var rows = await connection.QueryAsync<(string Id, string Definition)>(new CommandDefinition($"""
                SELECT v.subscription_id, v.definition FROM cr_subscription_versions v
                WHERE v.subscription_id {(schema.IsPostgres ? "= ANY(@Ids)" : "IN @Ids")}
                  AND v.version = (SELECT MAX(m.version) FROM cr_subscription_versions m WHERE m.subscription_id = v.subscription_id)
                """, new { Ids = ids.ToArray() }, cancellationToken: cancellationToken));
            foreach (var (id, definition) in rows)
            {
                map[id] = Carrier(definition);
            }
        }

        // Live definitions win over the history, and the folder and settings over both, as in the full map.
        foreach (var row in await table.FindAsync(ids, cancellationToken))
        {
            map[row.Id] = Carrier(row.Definition);
        }

        foreach (var s in (await catalog.LoadOutsideDatabaseAsync(cancellationToken)).Where(s => ids.Contains(s.Id)))
        {
            map[s.Id] = s.Carrier;
        }

        return map;
    }

    public async Task<IReadOnlyDictionary<string, string>> MapAsync(CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var connection = await schema.OpenAsync(cancellationToken))
        {
            var rows = await connection.QueryAsync<(string Id, string Definition)>(new CommandDefinition("""
                SELECT v.subscription_id, v.definition FROM cr_subscription_versions v
                WHERE v.version = (SELECT MAX(m.version) FROM cr_subscription_versions m WHERE m.subscription_id = v.subscription_id)
                """, cancellationToken: cancellationToken));
            foreach (var (id, definition) in rows)
            {
                map[id] = Carrier(definition);
            }
        }

        foreach (var s in await catalog.LoadAsync(cancellationToken))
        {
            map[s.Id] = s.Carrier;
        }

        return map;
    }

    /// <summary>
    /// The subscription ids a caller may see runs of, narrowed to <paramref name="carrier"/> when given; null when no
    /// narrowing is needed (all carriers, no filter). A run of a subscription no source knows any more is visible
    /// only without a scope.
    /// </summary>
    public async Task<IReadOnlyCollection<string>?> VisibleIdsAsync(Access.CarrierScope scope, string? carrier, CancellationToken cancellationToken)
    {
        if (scope.IsAll && carrier is null)
        {
            return null;
        }

        var map = await RecentMapAsync(cancellationToken);
        return [.. map.Where(e => scope.Allows(e.Value) && (carrier is null || e.Value == carrier)).Select(e => e.Key)];
    }

    /// <summary>
    /// The full map, reused for <see cref="SubscriptionCatalog.LookupCacheTime"/> (as the scheduler's lookups are) and
    /// made again at once after a change in this process: building it reads and parses every subscription and its last
    /// version, which took seconds per request for a carrier-scoped caller at 10,000 subscriptions.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> RecentMapAsync(CancellationToken cancellationToken)
    {
        var recent = _recent;
        var generation = catalog.Generation;
        var now = time.GetUtcNow();
        if (recent is not null && recent.Generation == generation && now < recent.Until + SubscriptionCatalog.LookupCacheTime)
        {
            // Older than the cache time: still answered (so no request waits ~1 s for the map), and remade in the background.
            if (now >= recent.Until && Interlocked.CompareExchange(ref _remaking, 1, 0) == 0)
            {
                _ = RemakeAsync(generation);
            }

            return recent.Map;
        }

        var map = await MapAsync(cancellationToken);
        _recent = new CachedMap(map, generation, time.GetUtcNow() + SubscriptionCatalog.LookupCacheTime);
        return map;
    }

    /// <summary>Remakes the map in the background; a failure leaves the old one to expire, so the next caller sees the error.</summary>
    private async Task RemakeAsync(long generation)
    {
        try
        {
            var map = await MapAsync(CancellationToken.None);
            _recent = new CachedMap(map, generation, time.GetUtcNow() + SubscriptionCatalog.LookupCacheTime);
        }
        catch (Exception)
        {
            _recent = null;
        }
        finally
        {
            Interlocked.Exchange(ref _remaking, 0);
        }
    }

    /// <summary>Whether a caller with <paramref name="scope"/> may see the data of subscription <paramref name="id"/>.</summary>
    public async Task<bool> AllowsAsync(Access.CarrierScope scope, string id, CancellationToken cancellationToken) =>
        scope.IsAll || ((await MapAsync([id], cancellationToken)).TryGetValue(id, out var carrier) && scope.Allows(carrier));

    private static string Carrier(string definition) => JsonSerializer.Deserialize<SubscriptionDefinition>(definition, SubscriptionCatalog.Json)!.Carrier;
}
