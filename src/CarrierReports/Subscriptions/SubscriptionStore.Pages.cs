using CarrierReports.Access;

namespace CarrierReports.Subscriptions;

/// <summary>One page of the API's subscription list, and one subscription, without loading every subscription.</summary>
public sealed partial class SubscriptionStore
{
    /// <summary>Database rows read (and validated) per round trip while filling a page; doubles up to this when the filter keeps few.</summary>
    private const int MaxBatch = 2000;

    /// <summary>
    /// The first <paramref name="size"/> subscriptions after <paramref name="afterId"/> in ordinal id order that
    /// <paramref name="keep"/> keeps, from every source, and whether more follow. Database rows are read in keyset
    /// batches until <paramref name="size"/> + 1 of them are kept: with every folder and settings subscription (a few)
    /// that is enough to know the page, so a deep page costs what the first does. <paramref name="carriers"/> (from
    /// <see cref="CarriersToRead"/>) narrows the database rows read to those carriers' (a range of an index) when
    /// <paramref name="keep"/> keeps no other carrier; null reads every row.
    /// </summary>
    public async Task<(IReadOnlyList<StoredSubscription> Page, bool More)> PageAsync(Func<Subscription, bool> keep, string? afterId, int size,
        IReadOnlyCollection<string>? carriers, CancellationToken cancellationToken)
    {
        bool After(string id) => afterId is null || string.CompareOrdinal(id, afterId) > 0;
        var found = (await catalog.LoadOutsideDatabaseAsync(cancellationToken)).Where(s => After(s.Id) && keep(s)).ToList();
        var kept = 0;
        var cursor = afterId;
        for (var batch = size + 1; kept <= size; batch = Math.Min(batch * 2, MaxBatch))
        {
            var rows = await table.PageAsync(cursor, batch, carriers, cancellationToken);
            foreach (var subscription in rows.Select(catalog.FromDatabase).Where(keep))
            {
                found.Add(subscription);
                kept++;
            }

            if (rows.Count < batch)
            {
                break;
            }

            cursor = rows[^1].Id;
        }

        var page = found.OrderBy(s => s.Id, StringComparer.Ordinal).Take(size + 1).ToList();
        var versions = await history.LatestVersionsAsync([.. page.Select(s => s.Id)], cancellationToken);
        return ([.. page.Take(size).Select(s => new StoredSubscription(s, versions.GetValueOrDefault(s.Id)))], page.Count > size);
    }

    /// <summary>
    /// The carriers a list for <paramref name="scope"/> filtered by <paramref name="carrier"/> can show: the filter's
    /// carrier (none when the scope does not allow it), else the scope's carriers; null when any carrier can show.
    /// </summary>
    public static IReadOnlyCollection<string>? CarriersToRead(CarrierScope scope, string? carrier) =>
        carrier is not null ? (scope.Allows(carrier) ? [carrier] : []) : scope.IsAll ? null : scope.Carriers;

    /// <summary>
    /// The carriers of the subscriptions <paramref name="scope"/> allows, sorted (the list's carrier picker): from the
    /// database's carrier column and the folder and settings subscriptions, without loading every subscription.
    /// </summary>
    public async Task<IReadOnlyList<string>> CarriersAsync(CarrierScope scope, CancellationToken cancellationToken)
    {
        var carriers = new HashSet<string>(await table.CarriersAsync(scope.IsAll ? null : scope.Carriers, cancellationToken), StringComparer.Ordinal);
        carriers.UnionWith((await catalog.LoadOutsideDatabaseAsync(cancellationToken)).Select(s => s.Carrier));
        return [.. carriers.Where(scope.Allows).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The live subscriptions of <paramref name="ids"/> (any source; ids with none are left out) in ordinal id order,
    /// with their versions: the page of a list whose ids come from elsewhere (the failing and overdue filters).
    /// </summary>
    public async Task<IReadOnlyList<StoredSubscription>> ByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(ids, StringComparer.Ordinal);
        var found = (await catalog.LoadOutsideDatabaseAsync(cancellationToken)).Where(s => wanted.Contains(s.Id)).ToList();
        if (wanted.Count > 0)
        {
            found.AddRange((await table.FindAsync(wanted, cancellationToken)).Select(catalog.FromDatabase));
        }

        // A folder or settings subscription wins over a database row of the same id, as in FindAsync.
        var page = found.DistinctBy(s => s.Id).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var versions = await history.LatestVersionsAsync([.. page.Select(s => s.Id)], cancellationToken);
        return [.. page.Select(s => new StoredSubscription(s, versions.GetValueOrDefault(s.Id)))];
    }

    /// <returns>Null when there is no such (live) subscription or <paramref name="scope"/> does not allow its carrier.</returns>
    public async Task<StoredSubscription?> FindAsync(string id, CarrierScope scope, CancellationToken cancellationToken)
    {
        var found = (await catalog.LoadOutsideDatabaseAsync(cancellationToken)).FirstOrDefault(s => s.Id == id)
                    ?? (await table.FindAsync([id], cancellationToken)).Select(catalog.FromDatabase).FirstOrDefault();
        if (found is null || !scope.Allows(found.Carrier))
        {
            return null;
        }

        var versions = await history.LatestVersionsAsync([id], cancellationToken);
        return new StoredSubscription(found, versions.GetValueOrDefault(id));
    }
}
