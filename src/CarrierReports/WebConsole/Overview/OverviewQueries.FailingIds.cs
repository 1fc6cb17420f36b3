using Dapper;

namespace CarrierReports.WebConsole.Overview;

public sealed partial class OverviewQueries
{
    /// <summary>
    /// The ids, in ordinal order after <paramref name="afterId"/>, of the subscriptions the overview counts as failing
    /// (<see cref="FailingSinceAsync"/>: a failed run since <paramref name="since"/> with no later success), at most
    /// <paramref name="limit"/>: the list behind the overview's figure, one page at a time. The failed runs are read
    /// through ix_cr_runs_status_started, not by grouping every run. With <paramref name="carriers"/>, database
    /// subscriptions of other carriers (by the carrier column) are left out here; folder and settings subscriptions and
    /// rows whose column is not filled yet come back for the caller to check.
    /// </summary>
    public async Task<IReadOnlyList<string>> FailingIdsAsync(DateTimeOffset since, IReadOnlyCollection<string>? carriers, string? afterId, int limit,
        CancellationToken cancellationToken)
    {
        var id = database.IsPostgres ? "subscription_id COLLATE \"C\"" : "subscription_id";
        var conditions = new List<string> { "status = 'failed'", "started_at >= @Since" };
        if (afterId is not null)
        {
            conditions.Add($"{id} > @After");
        }

        if (carriers is not null)
        {
            conditions.Add($"""
                NOT EXISTS (SELECT 1 FROM cr_subscriptions s WHERE s.id = cr_runs.subscription_id AND s.carrier IS NOT NULL
                            AND NOT (s.carrier {(database.IsPostgres ? "= ANY(@Carriers)" : "IN @Carriers")}))
                """);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition($"""
            SELECT DISTINCT {id} AS id FROM cr_runs
            WHERE {string.Join(" AND ", conditions)}
              AND NOT EXISTS (SELECT 1 FROM cr_runs later WHERE later.subscription_id = cr_runs.subscription_id
                              AND later.status = 'succeeded' AND later.started_at > cr_runs.started_at)
            ORDER BY id LIMIT {limit}
            """, new { Since = since.UtcDateTime, After = afterId, Carriers = carriers?.ToArray() }, cancellationToken: cancellationToken));
        return [.. ids];
    }
}
