using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

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

    /// <summary>True when any run of the period is recorded, whatever its outcome.</summary>
    public Task<bool> HasRunAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        CountAsync("", subscriptionId, from, to, cancellationToken);

    /// <summary>True when a run of the period succeeded, was skipped as empty, or is running: a failure of it is not final.</summary>
    public Task<bool> HasHealedAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        CountAsync($" AND status IN ('{RunStatus.Succeeded.Name()}', '{RunStatus.SkippedEmpty.Name()}', '{Running}')", subscriptionId, from, to, cancellationToken);

    /// <summary>When the first run of the subscription started; null when it never ran.</summary>
    public async Task<DateTimeOffset?> FirstStartedAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Instants.FromDb(await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(started_at) FROM cr_runs WHERE subscription_id = @Sub", new { Sub = subscriptionId }, cancellationToken: cancellationToken)));
    }

    private async Task<bool> CountAsync(string condition, string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM cr_runs WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To" + condition,
            new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }
}
