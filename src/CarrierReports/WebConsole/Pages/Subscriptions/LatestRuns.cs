using CarrierReports.Runs;
using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>The latest run of each subscription (by start time), for the list's "last run" column and its failing/overdue filters.</summary>
public static class LatestRuns
{
    /// <param name="ids">Only these subscriptions (a page); null for all (a filter on the outcome needs every one).</param>
    public static async Task<IReadOnlyDictionary<string, RunRecord>> ForAsync(ServiceDatabase database, IReadOnlyCollection<string>? ids,
        CancellationToken cancellationToken)
    {
        if (ids is { Count: 0 })
        {
            return new Dictionary<string, RunRecord>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Npgsql takes the array as one parameter; Dapper expands it into a list for SQLite.
        var where = ids is null ? "" : database.IsPostgres ? "WHERE subscription_id = ANY(@Ids)" : "WHERE subscription_id IN @Ids";
        // One grouped pass instead of a query per subscription; the join picks the row of each maximum.
        // For one page on PostgreSQL, the newest run of each id from the index, one row each: the grouped pass read all
        // 50,000 runs of an hourly subscription on the page (200 ms).
        var sql = ids is not null && database.IsPostgres
            ? $"""
              SELECT r.* FROM unnest(@Ids) AS i(sid)
              CROSS JOIN LATERAL (SELECT {RunLedger.RunColumns} FROM cr_runs WHERE subscription_id = i.sid ORDER BY started_at DESC, run_id DESC LIMIT 1) r
              """
            : $"""
            SELECT {RunLedger.RunColumns} FROM cr_runs r
            JOIN (SELECT subscription_id AS sid, max(started_at) AS latest FROM cr_runs {where} GROUP BY subscription_id) m
              ON r.subscription_id = m.sid AND r.started_at = m.latest
            """;
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(sql, new { Ids = ids?.ToArray() }, cancellationToken: cancellationToken));
        var map = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            map[row.SubscriptionId] = row.ToRecord();
        }

        return map;
    }
}
