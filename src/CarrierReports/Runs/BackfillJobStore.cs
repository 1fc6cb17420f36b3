using CarrierReports.Storage;
using Dapper;

namespace CarrierReports.Runs;

/// <summary>The states of a backfill job.</summary>
public static class BackfillStates
{
    public const string Queued = "queued";
    public const string Running = "running";

    /// <summary>Every period ran and none failed.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Every period ran; at least one failed (see <see cref="BackfillJob.LastError"/>; retry the failed runs).</summary>
    public const string Failed = "failed";

    public const string Cancelled = "cancelled";

    /// <summary>The process running it stopped before the job finished; start a new job over the same span (delivered periods are not sent again).</summary>
    public const string Interrupted = "interrupted";

    public static bool IsFinished(string state) => state is Succeeded or Failed or Cancelled or Interrupted;
}

/// <summary>A backfill started over HTTP and its progress.</summary>
/// <param name="Done">Periods run to the end, whatever their outcome; <paramref name="Failed"/> of them failed.</param>
/// <param name="CurrentFire">The fire time being run now; null when none is.</param>
/// <param name="Node">The node whose process runs the job.</param>
public sealed record BackfillJob(string JobId, string SubscriptionId, string Carrier, string From, string To, DateTimeOffset RangeFrom, DateTimeOffset RangeTo,
    string State, int Total, int Done, int Failed, DateTimeOffset? CurrentFire, string? LastError, bool CancelRequested, string Node, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

/// <summary><c>cr_backfill_jobs</c>: kept in the service database so that any node answers for a job, whichever node runs it.</summary>
public sealed class BackfillJobStore(OperatorSchema schema, TimeProvider time)
{
    private const string Columns = """
        job_id AS JobId, subscription_id AS SubscriptionId, carrier AS Carrier, from_text AS FromText, to_text AS ToText, range_from AS RangeFrom,
        range_to AS RangeTo, state AS State, total AS Total, done AS Done, failed AS Failed, current_fire AS CurrentFire, last_error AS LastError,
        cancel_requested AS CancelRequested, node AS Node, requested_by AS RequestedBy, created_at AS CreatedAt, updated_at AS UpdatedAt, finished_at AS FinishedAt
        """;

    public async Task AddAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cr_backfill_jobs (job_id, subscription_id, carrier, from_text, to_text, range_from, range_to, state, total, done, failed,
                                          cancel_requested, node, requested_by, created_at, updated_at)
            VALUES (@JobId, @SubscriptionId, @Carrier, @From, @To, @RangeFrom, @RangeTo, @State, @Total, 0, 0, 0, @Node, @RequestedBy, @At, @At)
            """, new
        {
            job.JobId, job.SubscriptionId, job.Carrier, job.From, job.To, RangeFrom = job.RangeFrom.UtcDateTime, RangeTo = job.RangeTo.UtcDateTime,
            job.State, job.Total, job.Node, job.RequestedBy, At = job.CreatedAt.UtcDateTime,
        }, cancellationToken: cancellationToken));
    }

    public async Task<BackfillJob?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM cr_backfill_jobs WHERE job_id = @Id", new { Id = jobId }, cancellationToken: cancellationToken));
        return row?.ToJob();
    }

    /// <summary>Records progress; a finished state also stamps the finish time. Never changes a job that already finished.</summary>
    public async Task UpdateAsync(string jobId, string state, int total, int done, int failed, DateTimeOffset? current, string? lastError, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await schema.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cr_backfill_jobs SET state = @State, total = @Total, done = @Done, failed = @Failed, current_fire = @Current, last_error = @LastError,
                   updated_at = @Now, finished_at = @Finished
            WHERE job_id = @Id AND state IN ('queued', 'running')
            """, new
        {
            Id = jobId, State = state, Total = total, Done = done, Failed = failed, Current = current?.UtcDateTime, LastError = lastError, Now = now,
            Finished = BackfillStates.IsFinished(state) ? now : (DateTime?)null,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Ends a job that could not run on (its counts stay as they were).</summary>
    public async Task FinishAsync(string jobId, string state, string error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await schema.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cr_backfill_jobs SET state = @State, current_fire = NULL, last_error = @Error, updated_at = @Now, finished_at = @Now
            WHERE job_id = @Id AND state IN ('queued', 'running')
            """, new { Id = jobId, State = state, Error = error, Now = now }, cancellationToken: cancellationToken));
    }

    /// <summary>Asks the running node to stop after the period it is running; false when the job already finished.</summary>
    public async Task<bool> RequestCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cr_backfill_jobs SET cancel_requested = 1, updated_at = @Now WHERE job_id = @Id AND state IN ('queued', 'running')",
            new { Id = jobId, Now = time.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Jobs of <paramref name="node"/> left queued or running by a process that stopped: marked interrupted. Returns how many.</summary>
    public async Task<int> InterruptAsync(string node, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await schema.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cr_backfill_jobs SET state = 'interrupted', current_fire = NULL, updated_at = @Now, finished_at = @Now
            WHERE node = @Node AND state IN ('queued', 'running')
            """, new { Node = node, Now = now }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string JobId { get; set; } = "";
        public string SubscriptionId { get; set; } = "";
        public string Carrier { get; set; } = "";
        public string FromText { get; set; } = "";
        public string ToText { get; set; } = "";
        public DateTime RangeFrom { get; set; }
        public DateTime RangeTo { get; set; }
        public string State { get; set; } = "";
        public int Total { get; set; }
        public int Done { get; set; }
        public int Failed { get; set; }
        public DateTime? CurrentFire { get; set; }
        public string? LastError { get; set; }
        public long CancelRequested { get; set; }
        public string Node { get; set; } = "";
        public string RequestedBy { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
        public DateTime? FinishedAt { get; set; }

        public BackfillJob ToJob() => new(JobId, SubscriptionId, Carrier, FromText, ToText, Instants.FromDb(RangeFrom), Instants.FromDb(RangeTo), State, Total, Done,
            Failed, Instants.FromDb(CurrentFire), LastError, CancelRequested != 0, Node, RequestedBy, Instants.FromDb(CreatedAt), Instants.FromDb(UpdatedAt),
            Instants.FromDb(FinishedAt));
    }
}
