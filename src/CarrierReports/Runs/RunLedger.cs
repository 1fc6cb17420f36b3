using System.Data.Common;
using CarrierReports.Storage;

namespace CarrierReports.Runs;

/// <summary>Run statuses as stored in the ledger.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string SkippedEmpty = "skipped-empty";

    public static readonly IReadOnlyList<string> All = [Running, Succeeded, Failed, SkippedEmpty];
}

/// <summary>How a run was started.</summary>
public static class RunTrigger
{
    public const string Schedule = "schedule";
    public const string CatchUp = "catch-up";
    public const string Retry = "retry";
    public const string Manual = "manual";
    public const string Backfill = "backfill";
}

/// <param name="ScheduledAt">The fire time the period was computed from (never the clock at execution).</param>
public sealed record RunStart(string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone, string Range,
    DateTimeOffset ScheduledAt, string Node, string Trigger, int Attempt);

public sealed record RunRecord(string RunId, string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone, string Range,
    DateTimeOffset ScheduledAt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Node, string Trigger, int Attempt,
    string Status, string? Error, string? Note, int? ReportRows, long? Attempts);

public sealed record ArtifactRecord(string RunId, string FileName, string Format, long Bytes, string Sha256, string? ArchiveId, string? ArchivePath);

/// <summary>One recipient's delivery of one period. At most one row per (subscription, period, recipient).</summary>
public sealed record DeliveryRecord(string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string Recipient, string Kind,
    string MessageId, string Outcome, string? SmtpReply, int Attempts, string? Error, string RunId, DateTimeOffset UpdatedAt);

/// <summary>
/// The run ledger: every run with its period, node and outcome, the files it produced (with SHA-256 and archive
/// location) and each recipient's delivery. It is what makes delivery exactly-once per (subscription, period,
/// recipient): a recipient recorded as delivered is never sent the same period again.
/// </summary>
public sealed class RunLedger(ServiceDatabase database, TimeProvider time)
{
    public const string Delivered = "delivered";
    public const string DeliveryFailed = "failed";

    /// <summary>
    /// Records the start of a run and claims its period: at most one run per (subscription, period) is
    /// <see cref="RunStatus.Running"/> at a time, across every node (a partial unique index enforces it). A running run
    /// of the same period whose heartbeat is older than <paramref name="staleAfter"/> is marked failed (stale) first;
    /// a live one makes this throw <see cref="RunBusyException"/>.
    /// </summary>
    /// <remarks>
    /// Quartz already keeps one subscription's job to one node at a time, but a manual <c>run</c>, a stale-run retry, or a
    /// node written off by the cluster after a database outage while it was still working could otherwise run the same
    /// period twice at once, and both would send before either recorded a delivery.
    /// </remarks>
    public async Task<RunRecord> BeginAsync(RunStart start, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var runId = "run-" + Guid.CreateVersion7(now).ToString("N");
        await using var connection = await database.OpenAsync(cancellationToken);
        if (staleAfter > TimeSpan.Zero)
        {
            await using var stale = connection.CreateCommand();
            stale.CommandText = $"""
                UPDATE cr_runs SET status = @failed, finished_at = @now, error = {StaleError}
                WHERE subscription_id = @sub AND period_from = @from AND period_to = @to AND status = @running AND heartbeat_at < @cutoff
                """;
            ServiceDatabase.Add(stale, "failed", RunStatus.Failed);
            ServiceDatabase.Add(stale, "now", now);
            ServiceDatabase.Add(stale, "sub", start.SubscriptionId);
            ServiceDatabase.Add(stale, "from", start.PeriodFrom);
            ServiceDatabase.Add(stale, "to", start.PeriodTo);
            ServiceDatabase.Add(stale, "running", RunStatus.Running);
            ServiceDatabase.Add(stale, "cutoff", now - staleAfter);
            await stale.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var cmd = connection.CreateCommand();
        // The conflict target names the partial index's predicate literally, so PostgreSQL and SQLite both infer it.
        cmd.CommandText = """
            INSERT INTO cr_runs (run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at,
                                 heartbeat_at, node, trigger_kind, attempt, status)
            VALUES (@run, @sub, @from, @to, @zone, @range, @scheduled, @now, @now, @node, @trigger, @attempt, @status)
            ON CONFLICT (subscription_id, period_from, period_to) WHERE status = 'running' DO NOTHING
            """;
        ServiceDatabase.Add(cmd, "run", runId);
        ServiceDatabase.Add(cmd, "sub", start.SubscriptionId);
        ServiceDatabase.Add(cmd, "from", start.PeriodFrom);
        ServiceDatabase.Add(cmd, "to", start.PeriodTo);
        ServiceDatabase.Add(cmd, "zone", start.TimeZone);
        ServiceDatabase.Add(cmd, "range", start.Range);
        ServiceDatabase.Add(cmd, "scheduled", start.ScheduledAt);
        ServiceDatabase.Add(cmd, "now", now);
        ServiceDatabase.Add(cmd, "node", start.Node);
        ServiceDatabase.Add(cmd, "trigger", start.Trigger);
        ServiceDatabase.Add(cmd, "attempt", start.Attempt);
        ServiceDatabase.Add(cmd, "status", RunStatus.Running);
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            var holder = await RunningForPeriodAsync(connection, start, cancellationToken);
            throw new RunBusyException(start.SubscriptionId, holder?.RunId ?? "(finished just now)", holder?.Node ?? "?", holder?.HeartbeatAt ?? now);
        }

        return new RunRecord(runId, start.SubscriptionId, start.PeriodFrom, start.PeriodTo, start.TimeZone, start.Range, start.ScheduledAt, now, null,
            start.Node, start.Trigger, start.Attempt, RunStatus.Running, null, null, null, null);
    }

    /// <summary>Records the start of a run; never takes over a running run of the same period, however old.</summary>
    public Task<RunRecord> BeginAsync(RunStart start, CancellationToken cancellationToken) => BeginAsync(start, TimeSpan.Zero, cancellationToken);

    private static async Task<(string RunId, string Node, DateTimeOffset HeartbeatAt)?> RunningForPeriodAsync(DbConnection connection, RunStart start, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id, node, heartbeat_at FROM cr_runs WHERE subscription_id = @sub AND period_from = @from AND period_to = @to AND status = @running";
        ServiceDatabase.Add(cmd, "sub", start.SubscriptionId);
        ServiceDatabase.Add(cmd, "from", start.PeriodFrom);
        ServiceDatabase.Add(cmd, "to", start.PeriodTo);
        ServiceDatabase.Add(cmd, "running", RunStatus.Running);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (r.GetString(0), r.GetString(1), ServiceDatabase.ReadInstant(r, 2)) : null;
    }

    /// <summary>
    /// Marks a running run as alive, so another node does not take it for stale. False when the run is no longer
    /// running: another node declared it stale (its heartbeats could not reach the database for too long) and may be
    /// running the period itself.
    /// </summary>
    public async Task<bool> HeartbeatAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE cr_runs SET heartbeat_at = @now WHERE run_id = @run AND status = @running";
        ServiceDatabase.Add(cmd, "now", time.GetUtcNow());
        ServiceDatabase.Add(cmd, "run", runId);
        ServiceDatabase.Add(cmd, "running", RunStatus.Running);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task CompleteAsync(string runId, string status, string? error, string? note, int? reportRows, long? attempts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            UPDATE cr_runs SET status = @status, error = @error, note = @note, report_rows = @rows, attempts_total = @attempts,
                               finished_at = @now, heartbeat_at = @now
            WHERE run_id = @run
            """;
        ServiceDatabase.Add(cmd, "status", status);
        ServiceDatabase.Add(cmd, "error", error);
        ServiceDatabase.Add(cmd, "note", note);
        ServiceDatabase.Add(cmd, "rows", reportRows);
        ServiceDatabase.Add(cmd, "attempts", attempts);
        ServiceDatabase.Add(cmd, "now", time.GetUtcNow());
        ServiceDatabase.Add(cmd, "run", runId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddArtifactsAsync(IEnumerable<ArtifactRecord> artifacts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var a in artifacts)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO cr_run_artifacts (run_id, file_name, format, bytes, sha256, archive_id, archive_path)
                VALUES (@run, @file, @format, @bytes, @sha, @archive, @path)
                ON CONFLICT (run_id, file_name) DO NOTHING
                """;
            ServiceDatabase.Add(cmd, "run", a.RunId);
            ServiceDatabase.Add(cmd, "file", a.FileName);
            ServiceDatabase.Add(cmd, "format", a.Format);
            ServiceDatabase.Add(cmd, "bytes", a.Bytes);
            ServiceDatabase.Add(cmd, "sha", a.Sha256);
            ServiceDatabase.Add(cmd, "archive", a.ArchiveId);
            ServiceDatabase.Add(cmd, "path", a.ArchivePath);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Records a recipient's outcome. A delivered row is final: a later failure for the same key never overwrites it.</summary>
    public async Task RecordDeliveryAsync(DeliveryRecord d, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO cr_deliveries (subscription_id, period_from, period_to, recipient, kind, message_id, outcome, smtp_reply, attempts, error, run_id, updated_at)
            VALUES (@sub, @from, @to, @recipient, @kind, @mid, @outcome, @reply, @attempts, @error, @run, @now)
            ON CONFLICT (subscription_id, period_from, period_to, recipient) DO UPDATE SET
                kind = excluded.kind, message_id = excluded.message_id, outcome = excluded.outcome, smtp_reply = excluded.smtp_reply,
                attempts = cr_deliveries.attempts + excluded.attempts, error = excluded.error, run_id = excluded.run_id, updated_at = excluded.updated_at
            WHERE cr_deliveries.outcome <> 'delivered'
            """;
        ServiceDatabase.Add(cmd, "sub", d.SubscriptionId);
        ServiceDatabase.Add(cmd, "from", d.PeriodFrom);
        ServiceDatabase.Add(cmd, "to", d.PeriodTo);
        ServiceDatabase.Add(cmd, "recipient", d.Recipient.ToLowerInvariant());
        ServiceDatabase.Add(cmd, "kind", d.Kind);
        ServiceDatabase.Add(cmd, "mid", d.MessageId);
        ServiceDatabase.Add(cmd, "outcome", d.Outcome);
        ServiceDatabase.Add(cmd, "reply", d.SmtpReply);
        ServiceDatabase.Add(cmd, "attempts", d.Attempts);
        ServiceDatabase.Add(cmd, "error", d.Error);
        ServiceDatabase.Add(cmd, "run", d.RunId);
        ServiceDatabase.Add(cmd, "now", d.UpdatedAt);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT subscription_id, period_from, period_to, recipient, kind, message_id, outcome, smtp_reply, attempts, error, run_id, updated_at
            FROM cr_deliveries WHERE subscription_id = @sub AND period_from = @from AND period_to = @to ORDER BY recipient
            """;
        ServiceDatabase.Add(cmd, "sub", subscriptionId);
        ServiceDatabase.Add(cmd, "from", from);
        ServiceDatabase.Add(cmd, "to", to);
        var list = new List<DeliveryRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new DeliveryRecord(r.GetString(0), ServiceDatabase.ReadInstant(r, 1), ServiceDatabase.ReadInstant(r, 2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10),
                ServiceDatabase.ReadInstant(r, 11)));
        }

        return list;
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string? subscriptionId, string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT {RunColumns} FROM cr_runs
            WHERE (@sub IS NULL OR subscription_id = @sub) AND (@status IS NULL OR status = @status)
            ORDER BY started_at DESC LIMIT {limit}
            """;
        ServiceDatabase.Add(cmd, "sub", subscriptionId);
        ServiceDatabase.Add(cmd, "status", status);
        if (database.IsPostgres)
        {
            // PostgreSQL cannot infer the type of an untyped NULL parameter compared with IS NULL.
            cmd.CommandText = cmd.CommandText.Replace("@sub IS NULL", "@sub::text IS NULL", StringComparison.Ordinal).Replace("@status IS NULL", "@status::text IS NULL", StringComparison.Ordinal);
        }

        return await ReadRunsAsync(cmd, cancellationToken);
    }

    public async Task<IReadOnlyList<ArtifactRecord>> ArtifactsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT run_id, file_name, format, bytes, sha256, archive_id, archive_path FROM cr_run_artifacts WHERE run_id = @run ORDER BY file_name";
        ServiceDatabase.Add(cmd, "run", runId);
        var list = new List<ArtifactRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new ArtifactRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return list;
    }

    /// <summary>The latest fire time a run was recorded for: where catch-up after downtime starts.</summary>
    public async Task<DateTimeOffset?> LastScheduledAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT max(scheduled_at) FROM cr_runs WHERE subscription_id = @sub AND trigger_kind <> 'backfill' AND trigger_kind <> 'manual'";
        ServiceDatabase.Add(cmd, "sub", subscriptionId);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value switch
        {
            null or DBNull => null,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            string s => new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)),
            _ => throw new InvalidOperationException($"unexpected {value.GetType()} for max(scheduled_at)"),
        };
    }

    /// <summary>
    /// Runs still marked running whose heartbeat is older than <paramref name="staleAfter"/> belong to a node that died:
    /// mark them failed so they are visible and can be retried, and return them.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> ResolveStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        var now = time.GetUtcNow();
        cmd.CommandText = $"""
            UPDATE cr_runs SET status = @failed, finished_at = @now, error = {StaleError}
            WHERE status = @running AND heartbeat_at < @cutoff
            RETURNING {RunColumns}
            """;
        ServiceDatabase.Add(cmd, "failed", RunStatus.Failed);
        ServiceDatabase.Add(cmd, "now", now);
        ServiceDatabase.Add(cmd, "running", RunStatus.Running);
        ServiceDatabase.Add(cmd, "cutoff", now - staleAfter);
        return await ReadRunsAsync(cmd, cancellationToken);
    }

    private const string StaleError = "'stale: node ' || node || ' stopped updating this run (crashed, was killed, or lost the database)'";

    private const string RunColumns = "run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at, finished_at, node, trigger_kind, attempt, status, error, note, report_rows, attempts_total";

    private static async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(DbCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<RunRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new RunRecord(r.GetString(0), r.GetString(1), ServiceDatabase.ReadInstant(r, 2), ServiceDatabase.ReadInstant(r, 3), r.GetString(4), r.GetString(5),
                ServiceDatabase.ReadInstant(r, 6), ServiceDatabase.ReadInstant(r, 7), r.IsDBNull(8) ? null : ServiceDatabase.ReadInstant(r, 8), r.GetString(9), r.GetString(10),
                r.GetInt32(11), r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14),
                r.IsDBNull(15) ? null : r.GetInt32(15), r.IsDBNull(16) ? null : r.GetInt64(16)));
        }

        return list;
    }

    /// <summary>One run by id, or null when there is none (for <c>runs show</c>).</summary>
    public async Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {RunColumns} FROM cr_runs WHERE run_id = @run";
        ServiceDatabase.Add(cmd, "run", runId);
        return (await ReadRunsAsync(cmd, cancellationToken)).FirstOrDefault();
    }
}
