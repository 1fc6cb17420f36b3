using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary>
/// Operator actions on subscriptions and runs: preview a schedule (saved or draft, sent to nobody), run now, retry a
/// failed run. Each action that sends is audited; a run is recorded in the ledger like any other (exactly once per recipient).
/// </summary>
public static class OperatorEndpoints
{
    public const int MaxPreviewFires = 50;

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization(Policies.Operator).WithTags("Operations");
        group.MapPost("/subscriptions/{id}/preview", PreviewSavedAsync);
        group.MapPost("/subscriptions/preview", PreviewDraftAsync);
        group.MapPost("/subscriptions/{id}/run", RunNowAsync);
        group.MapPost("/runs/{runId}/retry", RetryAsync);
        return app;
    }

    /// <param name="AsOf">The moment the run acts as if it were (a point such as <c>now-1d</c> or an ISO time); default now.</param>
    public sealed record RunNowRequest(string? AsOf);

    private static async Task<IResult> PreviewSavedAsync(HttpContext context, string id, int? count, bool? mail, bool? attachmentContent, SubscriptionStore store,
        ReportRendering rendering, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, context.Actor().Scope, cancellationToken);
        return found is null
            ? SubscriptionProblems.NotFound(id)
            : await MailPreviewEndpoints.PreviewAsync(found.Subscription, Count(count), mail, attachmentContent, $"/api/v1/subscriptions/{Uri.EscapeDataString(id)}/preview/files",
                rendering, time, cancellationToken);
    }

    private static async Task<IResult> PreviewDraftAsync(HttpContext context, int? count, bool? mail, bool? attachmentContent, ReportRendering rendering,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (draft, problem) = await MailPreviewEndpoints.ReadDraftAsync(context, cancellationToken);
        return draft is null
            ? problem!
            : await MailPreviewEndpoints.PreviewAsync(draft, Count(count), mail, attachmentContent, "/api/v1/subscriptions/preview/files", rendering, time, cancellationToken);
    }

    private static async Task<IResult> RunNowAsync(HttpContext context, string id, RunNowRequest? body, SubscriptionStore store, SubscriptionRunner runner,
        AuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var found = await store.FindAsync(id, actor.Scope, cancellationToken);
        if (found is null)
        {
            return SubscriptionProblems.NotFound(id);
        }

        var s = found.Subscription;
        var asOf = body?.AsOf is { } text ? RangeExpression.ResolvePoint(text, s.TimeZone, time.GetUtcNow(), "asOf") : time.GetUtcNow();
        return await RunAsync(context, trail, s.Carrier, "runs.run-now", id, () => runner.RunAsync(s, asOf, RunTrigger.Manual, 1, cancellationToken), cancellationToken);
    }

    private static async Task<IResult> RetryAsync(HttpContext context, string runId, SubscriptionStore store, SubscriptionRunner runner, RunLedger ledger,
        AuditTrail trail, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var run = await ledger.FindAsync(runId, cancellationToken);
        var found = run is null ? null : await store.FindAsync(run.SubscriptionId, actor.Scope, cancellationToken);
        if (run is null || found is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"run '{runId}' does not exist (or its subscription no longer does)");
        }

        if (run.Status != RunStatus.Failed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: $"run '{runId}' is {run.Status.Name()}; only a failed run is retried");
        }

        // The same fire time, so the same period: recipients who already have it are not sent it again.
        return await RunAsync(context, trail, found.Subscription.Carrier, "runs.retry", runId,
            () => runner.RunAsync(found.Subscription, run.ScheduledAt, RunTrigger.Retry, run.Attempt + 1, cancellationToken), cancellationToken);
    }

    /// <summary>Runs, audits the outcome and answers with the run as the ledger recorded it (also when it failed).</summary>
    private static async Task<IResult> RunAsync(HttpContext context, AuditTrail trail, string carrier, string action, string target,
        Func<Task<RunRecord>> run, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        try
        {
            var record = await run();
            await trail.AppendAsync(new AuditRecord(actor, action, target, After: AuditRecord.Json(new { record.RunId, Status = record.Status.Name() }),
                ClientAddress: context.ClientAddress()), cancellationToken);
            return TypedResults.Ok(RunView.From(record, carrier));
        }
        catch (RunBusyException busy)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already running", detail: busy.Message);
        }
        // A bad setting met during the run (e.g. the CDR table) is the server's problem, not the caller's input: a failed run.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await trail.AppendAsync(new AuditRecord(actor, action, target, ClientAddress: context.ClientAddress(), Outcome: "error"), cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The run failed", detail: ex.Message);
        }
    }

    private static int Count(int? count) => count is null ? 5
        : count is >= 1 and <= MaxPreviewFires ? count.Value
        : throw new InputException("count", $"{count} is not between 1 and {MaxPreviewFires}");
}
