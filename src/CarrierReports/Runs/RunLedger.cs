using CarrierReports.Delivery;
using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

/// <summary>
/// The run ledger: every run with its period, node and outcome, and the files it produced (with SHA-256 and archive
/// location). With the delivery ledger (<see cref="DeliveryLedger"/>, one row per recipient and period) it is what
/// makes delivery exactly-once per (subscription, period, recipient).
/// </summary>
public sealed class RunLedger(ServiceDatabase database, DeliveryLedger deliveries, TimeProvider time)
{
    internal const string RunColumns = """
        run_id AS RunId, subscription_id AS SubscriptionId, period_from AS PeriodFrom, period_to AS PeriodTo, time_zone AS TimeZone,
        range_expr AS Range, scheduled_at AS ScheduledAt, started_at AS StartedAt, finished_at AS FinishedAt, node AS Node,
        trigger_kind AS Trigger, attempt AS Attempt, status AS Status, error AS Error, note AS Note, report_rows AS ReportRows,
        attempts_total AS Attempts
        """;

    private const string StaleError = "'stale: node ' || node || ' stopped updating this run (crashed, was killed, or lost the database)'";

    private static readonly string Running = RunStatus.Running.Name();
    private static readonly string Failed = RunStatus.Failed.Name();

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
        var period = new { Sub = start.SubscriptionId, From = start.PeriodFrom.UtcDateTime, To = start.PeriodTo.UtcDateTime, Running };
        await using var connection = await database.OpenAsync(cancellationToken);
        if (staleAfter > TimeSpan.Zero)
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                UPDATE cr_runs SET status = @Failed, finished_at = @Now, error = {StaleError}
                WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To AND status = @Running AND heartbeat_at < @Cutoff
                """, new { period.Sub, period.From, period.To, Running, Failed, Now = now.UtcDateTime, Cutoff = (now - staleAfter).UtcDateTime },
                cancellationToken: cancellationToken));
        }

        // The conflict target names the partial index's predicate literally, so PostgreSQL and SQLite both infer it.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cr_runs (run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at,
                                 heartbeat_at, node, trigger_kind, attempt, status)
            VALUES (@Run, @Sub, @From, @To, @Zone, @Range, @Scheduled, @Now, @Now, @Node, @Trigger, @Attempt, @Running)
            ON CONFLICT (subscription_id, period_from, period_to) WHERE status = 'running' DO NOTHING
            """, new
        {
            Run = runId, period.Sub, period.From, period.To, Zone = start.TimeZone, start.Range, Scheduled = start.ScheduledAt.UtcDateTime,
            Now = now.UtcDateTime, start.Node, Trigger = start.Trigger.Name(), start.Attempt, Running,
        }, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            var holder = await connection.QueryFirstOrDefaultAsync<Holder>(new CommandDefinition("""
                SELECT run_id AS RunId, node AS Node, heartbeat_at AS HeartbeatAt FROM cr_runs
                WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To AND status = @Running
                """, period, cancellationToken: cancellationToken));
            throw new RunBusyException(start.SubscriptionId, holder?.RunId ?? "(finished just now)", holder?.Node ?? "?",
                holder is null ? now : Instants.FromDb(holder.HeartbeatAt));
        }

        return new RunRecord(runId, start.SubscriptionId, start.PeriodFrom, start.PeriodTo, start.TimeZone, start.Range, start.ScheduledAt, now, null,
            start.Node, start.Trigger, start.Attempt, RunStatus.Running, null, null, null, null);
    }

    /// <summary>Records the start of a run; never takes over a running run of the same period, however old.</summary>
    public Task<RunRecord> BeginAsync(RunStart start, CancellationToken cancellationToken) => BeginAsync(start, TimeSpan.Zero, cancellationToken);

    private sealed class Holder
    {
        public string RunId { get; set; } = "";
        public string Node { get; set; } = "";
        public DateTime HeartbeatAt { get; set; }
    }

    /// <summary>
    /// Marks a running run as alive, so another node does not take it for stale. False when the run is no longer
    /// running: another node declared it stale (its heartbeats could not reach the database for too long) and may be
    /// running the period itself.
    /// </summary>
    public async Task<bool> HeartbeatAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("UPDATE cr_runs SET heartbeat_at = @Now WHERE run_id = @Run AND status = @Running",
            new { Now = time.GetUtcNow().UtcDateTime, Run = runId, Running }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task CompleteAsync(string runId, RunStatus status, string? error, string? note, int? reportRows, long? attempts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cr_runs SET status = @Status, error = @Error, note = @Note, report_rows = @Rows, attempts_total = @Attempts,
                               finished_at = @Now, heartbeat_at = @Now
            WHERE run_id = @Run
            """, new { Status = status.Name(), Error = error, Note = note, Rows = reportRows, Attempts = attempts, Now = time.GetUtcNow().UtcDateTime, Run = runId },
            cancellationToken: cancellationToken));
    }

    public async Task AddArtifactsAsync(IEnumerable<ArtifactRecord> artifacts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var a in artifacts)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO cr_run_artifacts (run_id, file_name, format, bytes, sha256, archive_id, archive_path)
                VALUES (@RunId, @FileName, @Format, @Bytes, @Sha256, @ArchiveId, @ArchivePath)
                ON CONFLICT (run_id, file_name) DO NOTHING
                """, a, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Each recipient's delivery of the period (kept by <see cref="DeliveryLedger"/>).</summary>
    public Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        deliveries.ListAsync(subscriptionId, from, to, cancellationToken);

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string? subscriptionId, RunStatus? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // CAST: PostgreSQL cannot infer the type of a NULL parameter compared with IS NULL.
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunColumns} FROM cr_runs
            WHERE (CAST(@Sub AS text) IS NULL OR subscription_id = @Sub) AND (CAST(@Status AS text) IS NULL OR status = @Status)
            ORDER BY started_at DESC LIMIT {limit}
            """, new { Sub = subscriptionId, Status = status?.Name() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<ArtifactRecord>> ArtifactsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRow>(new CommandDefinition("""
            SELECT run_id AS RunId, file_name AS FileName, format AS Format, bytes AS Bytes, sha256 AS Sha256, archive_id AS ArchiveId, archive_path AS ArchivePath
            FROM cr_run_artifacts WHERE run_id = @Run ORDER BY file_name
            """, new { Run = runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ArtifactRecord(r.RunId, r.FileName, r.Format, r.Bytes, r.Sha256, r.ArchiveId, r.ArchivePath))];
    }

    /// <summary>The latest fire time a run was recorded for: where catch-up after downtime starts.</summary>
    public async Task<DateTimeOffset?> LastScheduledAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Instants.FromDb(await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(scheduled_at) FROM cr_runs WHERE subscription_id = @Sub AND trigger_kind <> @Backfill AND trigger_kind <> @Manual",
            new { Sub = subscriptionId, Backfill = RunTrigger.Backfill.Name(), Manual = RunTrigger.Manual.Name() }, cancellationToken: cancellationToken)));
    }

    /// <summary>
    /// The fire time of the first run recorded for this period (the current one included): every run of a period uses
    /// it as the report's generated-at time, so that a re-run of unchanged data renders byte-identical files.
    /// </summary>
    public async Task<DateTimeOffset> FirstScheduledAsync(string subscriptionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Instants.FromDb(await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(scheduled_at) FROM cr_runs WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To",
            new { Sub = subscriptionId, From = from.UtcDateTime, To = to.UtcDateTime }, cancellationToken: cancellationToken)))
            ?? throw new InvalidOperationException($"run ledger: no run of '{subscriptionId}' for {from:O}..{to:O}, although one was just claimed");
    }

    /// <summary>
    /// Runs still marked running whose heartbeat is older than <paramref name="staleAfter"/> belong to a node that died:
    /// mark them failed so they are visible and can be retried, and return them.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> ResolveStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition($"""
            UPDATE cr_runs SET status = @Failed, finished_at = @Now, error = {StaleError}
            WHERE status = @Running AND heartbeat_at < @Cutoff
            RETURNING {RunColumns}
            """, new { Failed, Running, Now = now.UtcDateTime, Cutoff = (now - staleAfter).UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>One run by id, or null when there is none (for <c>runs show</c>).</summary>
    public async Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM cr_runs WHERE run_id = @Run", new { Run = runId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }
}
