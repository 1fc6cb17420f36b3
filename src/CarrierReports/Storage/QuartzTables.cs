using Dapper;

namespace CarrierReports.Storage;

/// <summary>A row of <c>qrtz_scheduler_state</c>: a cluster member, its last check-in and interval (Quartz ticks and milliseconds).</summary>
public sealed record QuartzMemberRow(string InstanceName, long LastCheckinTime, long CheckinInterval);

/// <summary>Trigger counts of <c>qrtz_triggers</c>: all, in error, blocked (waiting for a running job).</summary>
public sealed record QuartzTriggerCounts(long Total, long Error, long Blocked);

/// <summary>
/// Read-only questions to the tables Quartz keeps in a PostgreSQL service database (the clustered job store), for the
/// health check. Quartz owns and writes them; nothing here changes them.
/// </summary>
public sealed class QuartzTables(ServiceDatabase database)
{
    /// <summary>False on SQLite (the job store is in memory) and before any node ran <c>serve</c>.</summary>
    public async Task<bool> ExistAsync(CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL AND to_regclass('qrtz_triggers') IS NOT NULL", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<QuartzMemberRow>> MembersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuartzMemberRow>(new CommandDefinition(
            "SELECT instance_name AS InstanceName, last_checkin_time AS LastCheckinTime, checkin_interval AS CheckinInterval FROM qrtz_scheduler_state ORDER BY instance_name",
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<QuartzTriggerCounts> TriggerCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<QuartzTriggerCounts>(new CommandDefinition("""
            SELECT count(*) AS Total, count(*) FILTER (WHERE trigger_state = 'ERROR') AS Error, count(*) FILTER (WHERE trigger_state = 'BLOCKED') AS Blocked
            FROM qrtz_triggers
            """, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The start time (Quartz ticks) of every trigger of <paramref name="group"/>, by trigger name: one statement for the
    /// health check's 10,000 subscriptions instead of one each. Should two schedulers share the tables, the earlier start wins.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> TriggerStartsAsync(string group, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, long Start)>(new CommandDefinition(
            "SELECT trigger_name, min(start_time) FROM qrtz_triggers WHERE trigger_group = @Group GROUP BY trigger_name", new { Group = group },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Name, r => r.Start, StringComparer.Ordinal);
    }
}
