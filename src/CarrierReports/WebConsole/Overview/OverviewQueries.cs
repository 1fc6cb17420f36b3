using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using Dapper;

namespace CarrierReports.WebConsole.Overview;

/// <summary>
/// The overview's figures from the run ledger, each one query on an index of <c>cr_runs</c> (started_at), limited to
/// the subscriptions a scoped user may see (<paramref name="ids"/> null means all).
/// </summary>
public sealed partial class OverviewQueries(ServiceDatabase database, SubscriptionCatalog catalog, TimeProvider time)
{
    /// <summary>Runs started since <paramref name="since"/>, counted by status name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunsSinceAsync(DateTimeOffset since, IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        if (ids is { Count: 0 })
        {
            return new Dictionary<string, long>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            $"SELECT status, COUNT(*) FROM cr_runs WHERE started_at >= @Since{Scope(ids)} GROUP BY status",
            new { Since = since.UtcDateTime, Ids = ids?.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Subscriptions whose latest failed run since <paramref name="since"/> has not been followed by a successful one:
    /// the latest such run of each, newest first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> FailingSinceAsync(DateTimeOffset since, IReadOnlyCollection<string>? ids, int limit, CancellationToken cancellationToken)
    {
        if (ids is { Count: 0 })
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunLedger.RunColumns} FROM cr_runs
            WHERE status = 'failed' AND started_at >= @Since{Scope(ids)}
              AND NOT EXISTS (SELECT 1 FROM cr_runs later WHERE later.subscription_id = cr_runs.subscription_id
                              AND later.status = 'succeeded' AND later.started_at > cr_runs.started_at)
            ORDER BY started_at DESC LIMIT 500
            """, new { Since = since.UtcDateTime, Ids = ids?.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord()).DistinctBy(r => r.SubscriptionId).Take(limit)];
    }

    // Npgsql takes the array as one parameter; for SQLite Dapper expands it into a list (as RunSearch does).
    private string Scope(IReadOnlyCollection<string>? ids) =>
        ids is null ? "" : database.IsPostgres ? " AND subscription_id = ANY(@Ids)" : " AND subscription_id IN @Ids";
}
