using CarrierReports.Audit;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary>
/// Backfill over HTTP: <c>POST /api/v1/subscriptions/{id}/backfill</c> accepts a job (202, <c>Location</c> of the job)
/// that the accepting process runs in the background (<see cref="BackfillWorker"/>); <c>GET /api/v1/backfills/{jobId}</c>
/// shows its progress from any node; <c>POST .../cancel</c> stops it after the period it is running.
/// </summary>
public static class BackfillEndpoints
{
    /// <param name="From">The first fire time to re-run (e.g. 2026-10-01, in the subscription's zone, or an ISO time).</param>
    /// <param name="To">The end, excluded.</param>
    public sealed record BackfillRequest(string? From, string? To);

    public static IEndpointRouteBuilder MapBackfillEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization(Policies.Operator).WithTags("Operations");
        group.MapPost("/subscriptions/{id}/backfill", StartAsync);
        group.MapGet("/backfills/{jobId}", GetAsync);
        group.MapPost("/backfills/{jobId}/cancel", CancelAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext context, string id, BackfillRequest? body, SubscriptionStore store, BackfillJobStore jobs,
        BackfillQueue queue, SubscriptionRunner runner, AuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var found = await store.FindAsync(id, actor.Scope, cancellationToken);
        if (found is null)
        {
            return SubscriptionProblems.NotFound(id);
        }

        var s = found.Subscription;
        var now = time.GetUtcNow();
        var (span, fires) = BackfillPlan.Resolve(s, body?.From, body?.To, now, "from", "to");
        var job = new BackfillJob(Guid.NewGuid().ToString("N"), s.Id, s.Carrier, body!.From!.Trim(), body.To!.Trim(), span.UtcFrom, span.UtcTo, BackfillStates.Queued,
            fires.Count, 0, 0, null, null, false, runner.Node, actor.Name, now, now, null);
        await jobs.AddAsync(job, cancellationToken);
        await trail.AppendAsync(new AuditRecord(actor, "runs.backfill", s.Id, After: AuditRecord.Json(new { job.JobId, job.From, job.To, job.Total }),
            ClientAddress: context.ClientAddress()), cancellationToken);
        queue.Enqueue(job.JobId);
        return TypedResults.Accepted(Location(job.JobId), job);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string jobId, BackfillJobStore jobs, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobId, jobs, cancellationToken);
        return job is null ? NotFound(jobId) : TypedResults.Ok(job);
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string jobId, BackfillJobStore jobs, AuditTrail trail, CancellationToken cancellationToken)
    {
        var job = await FindAsync(context, jobId, jobs, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        var accepted = await jobs.RequestCancelAsync(jobId, cancellationToken);
        await trail.AppendAsync(new AuditRecord(context.Actor(), "runs.backfill-cancel", jobId, ClientAddress: context.ClientAddress(),
            Outcome: accepted ? AuditRecord.Success : "already-finished"), cancellationToken);
        return accepted
            ? TypedResults.Accepted(Location(jobId), await jobs.FindAsync(jobId, cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already finished", detail: $"backfill job {jobId} is {job.State}; there is nothing to cancel");
    }

    private static async Task<BackfillJob?> FindAsync(HttpContext context, string jobId, BackfillJobStore jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        return job is not null && context.Actor().Scope.Allows(job.Carrier) ? job : null;
    }

    private static string Location(string jobId) => $"/api/v1/backfills/{jobId}";

    private static IResult NotFound(string jobId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"backfill job '{jobId}' does not exist");
}
