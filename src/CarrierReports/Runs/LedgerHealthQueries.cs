using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

/// <summary>A subscription's first run start (null: never ran) and whether a run of one period of it is recorded.</summary>
public sealed record PeriodState(DateTimeOffset? FirstStarted, bool HasRun);

/// <summary>The questions the health check asks the run ledger.</summary>
public sealed class LedgerHealthQueries(ServiceDatabase database)
{
    private static readonly string Running = RunStatus.Running.Name();

    /// <summary>The last heartbeat of every run marked running.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> RunningHeartbeatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var beats = await connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT heartbeat_at FROM cr_runs WHERE status = @Running", new { Running }, cancellationToken: cancellationToken));
        return [.. beats.Select(Instants.FromDb)];
    }

    /// <summary>True when a run of the period succeeded, was skipped as empty, or is running: a failure of it is not final.</summary>
    public Task<bool> HasHealedAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        CountAsync($" AND status IN ('{RunStatus.Succeeded.Name()}', '{RunStatus.SkippedEmpty.Name()}', '{Running}')", subscriptionId, from, to, cancellationToken);

    /// <summary>Rows per statement of <see cref="PeriodStatesAsync"/>: three parameters each, well under SQLite's and PostgreSQL's limits.</summary>
    private const int PeriodBatch = 1000;

    /// <summary>
    /// For each (subscription, period): when the subscription's first run started (null when it never ran) and whether
    /// any run of that period is recorded, whatever its outcome. One statement per <see cref="PeriodBatch"/> periods,
    /// each answer an index probe (ix_cr_runs_subscription_started, ix_cr_runs_subscription): asking per subscription
    /// took two round trips each, and 10,000 subscriptions ran the health check past its time-out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PeriodState>> PeriodStatesAsync(IReadOnlyList<(string SubscriptionId, DateTimeOffset From, DateTimeOffset To)> periods,
        CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, PeriodState>(StringComparer.Ordinal);
        if (periods.Count == 0)
        {
            return states;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in periods.Chunk(PeriodBatch))
        {
            // A VALUES list runs unchanged on both databases, and the parameters are bound exactly as the per-period
            // query bound them, so the instants compare the same way (timestamptz, or SQLite's text form).
            var parameters = new DynamicParameters();
            var rows = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                rows.Add($"(@s{i}, @f{i}, @t{i})");
                parameters.Add($"s{i}", chunk[i].SubscriptionId);
                parameters.Add($"f{i}", chunk[i].From.UtcDateTime);
                parameters.Add($"t{i}", chunk[i].To.UtcDateTime);
            }

            var found = await connection.QueryAsync<PeriodRow>(new CommandDefinition($"""
                WITH p (sub, pfrom, pto) AS (VALUES {string.Join(", ", rows)})
                SELECT p.sub AS SubscriptionId,
                       (SELECT min(r.started_at) FROM cr_runs r WHERE r.subscription_id = p.sub) AS FirstStarted,
                       CASE WHEN EXISTS (SELECT 1 FROM cr_runs r WHERE r.subscription_id = p.sub AND r.period_from = p.pfrom AND r.period_to = p.pto)
                            THEN 1 ELSE 0 END AS HasRun
                FROM p
                """, parameters, cancellationToken: cancellationToken));
            foreach (var row in found)
            {
                states[row.SubscriptionId] = new PeriodState(Instants.FromDb(row.FirstStarted), row.HasRun != 0);
            }
        }

        return states;
    }

    private sealed class PeriodRow
    {
        public string SubscriptionId { get; set; } = "";
        public DateTime? FirstStarted { get; set; }
        public long HasRun { get; set; }
    }

    private async Task<bool> CountAsync(string condition, string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM cr_runs WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To" + condition,
            new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }
}
