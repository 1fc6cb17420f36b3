using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

/// <summary>Which runs to list, newest first. Periods: runs whose period lies within [<see cref="PeriodFrom"/>, <see cref="PeriodTo"/>].</summary>
/// <param name="SubscriptionIds">Only runs of these subscriptions (the carrier filter and the caller's scope, resolved); null for all.</param>
/// <param name="After">The <see cref="RunPage.Next"/> of the previous page.</param>
/// <param name="StartedFrom">Only runs started at or after this moment (the console's "runs since a day").</param>
public sealed record RunFilter(
    string? Subscription = null,
    IReadOnlyCollection<string>? SubscriptionIds = null,
    RunStatus? Status = null,
    DateTimeOffset? PeriodFrom = null,
    DateTimeOffset? PeriodTo = null,
    string? Node = null,
    RunCursor? After = null,
    int Limit = 50,
    DateTimeOffset? StartedFrom = null);

/// <summary>The keyset position of a run in the newest-first list: its start time, then its id to break ties.</summary>
public sealed record RunCursor(DateTimeOffset StartedAt, string RunId);

/// <param name="Next">Where the next page starts; null on the last page.</param>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, RunCursor? Next);

/// <summary>
/// Keyset pages of <c>cr_runs</c> (no OFFSET: a deep page costs what the first does, and a run started meanwhile does
/// not shift the pages already read). The indexes are in <see cref="ServiceSchema"/>.
/// </summary>
public sealed class RunSearch(ServiceDatabase database)
{
    public const int MaxLimit = 500;

    public async Task<RunPage> SearchAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Limit is < 1 or > MaxLimit)
        {
            throw new InputException("limit", $"{filter.Limit} is not between 1 and {MaxLimit}");
        }

        if (filter.SubscriptionIds is { Count: 0 })
        {
            return new RunPage([], null);
        }

        var where = new List<string>();
        var p = new DynamicParameters();
        void Add(string sql, string name, object? value)
        {
            where.Add(sql);
            p.Add(name, value);
        }

        if (filter.Subscription is { } sub) Add("subscription_id = @Sub", "Sub", sub);
        // Npgsql takes the array as one parameter; for SQLite Dapper expands it into a list.
        if (filter.SubscriptionIds is { } ids) Add(database.IsPostgres ? "subscription_id = ANY(@Ids)" : "subscription_id IN @Ids", "Ids", ids.ToArray());
        if (filter.Status is { } status) Add("status = @Status", "Status", status.Name());
        if (filter.PeriodFrom is { } from) Add("period_from >= @From", "From", from.UtcDateTime);
        if (filter.PeriodTo is { } to) Add("period_to <= @To", "To", to.UtcDateTime);
        if (filter.Node is { } node) Add("node = @Node", "Node", node);
        if (filter.StartedFrom is { } started) Add("started_at >= @StartedFrom", "StartedFrom", started.UtcDateTime);
        if (filter.After is { } after)
        {
            // A row comparison, not "a < x OR (a = x AND b < y)": PostgreSQL turns it into a bound of the (…, started_at,
            // run_id) index, so a deep page starts where the previous one ended instead of skipping every newer entry.
            Add("(started_at, run_id) < (@AfterAt, @AfterId)", "AfterAt", after.StartedAt.UtcDateTime);
            p.Add("AfterId", after.RunId);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunLedger.RunColumns} FROM cr_runs
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY started_at DESC, run_id DESC LIMIT {filter.Limit + 1}
            """, p, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList();
        var page = rows.Take(filter.Limit).ToList();
        return new RunPage(page, rows.Count > filter.Limit ? new RunCursor(page[^1].StartedAt, page[^1].RunId) : null);
    }
}
