using CarrierReports.Audit;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary>
/// Resend a delivered period to one recipient, by run id or by subscription and period start; and the resends of a
/// run's period. The recipient must be one the period was delivered to, unless <c>allowOtherAddress</c> is true (e.g.
/// the recipient's new address); either way the request, its flag and its outcome are audited.
/// </summary>
public static class ResendEndpoints
{
    /// <param name="Recipient">The address to send to (required).</param>
    /// <param name="AllowOtherAddress">Send to an address the period was not delivered to. Default false.</param>
    public sealed record ResendRequest(string? Recipient, bool? AllowOtherAddress);

    /// <param name="PeriodFrom">The start of the period (an ISO time, or a local date/time in the subscription's zone, e.g. 2026-11-01).</param>
    public sealed record PeriodResendRequest(string? PeriodFrom, string? Recipient, bool? AllowOtherAddress);

    public sealed record ResendView(string ResendId, string RunId, string SubscriptionId, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string Recipient,
        bool OtherAddress, string Outcome, string MessageId, string? SmtpReply, int Attempts, string? Error, IReadOnlyList<string> Files, string Actor, DateTimeOffset SentAt)
    {
        public static ResendView From(ResendRecord r) => new(r.ResendId, r.RunId, r.SubscriptionId, r.PeriodFrom, r.PeriodTo, r.Recipient, r.OtherAddress,
            r.Outcome, r.MessageId, r.SmtpReply, r.Attempts, r.Error, r.Files.Split('\n'), r.Actor, r.SentAt);
    }

    public static IEndpointRouteBuilder MapResendEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization(Policies.Operator).WithTags("Operations");
        group.MapPost("/runs/{runId}/resend", ResendRunAsync);
        group.MapPost("/subscriptions/{id}/resend", ResendPeriodAsync);
        group.MapGet("/runs/{runId}/resends", ListAsync);
        return app;
    }

    private static async Task<IResult> ResendRunAsync(HttpContext context, string runId, ResendRequest? body, RunLedger ledger, SubscriptionCarriers carriers,
        ResendService resend, AuditTrail trail, CancellationToken cancellationToken)
    {
        var run = await FindAsync(context, runId, ledger, carriers, cancellationToken);
        return run is null ? RunNotFound(runId) : await SendAsync(context, run, body?.Recipient, body?.AllowOtherAddress ?? false, resend, trail, cancellationToken);
    }

    private static async Task<IResult> ResendPeriodAsync(HttpContext context, string id, PeriodResendRequest? body, SubscriptionStore store, ResendStore resends,
        RunLedger ledger, ResendService resend, AuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, context.Actor().Scope, cancellationToken);
        if (found is null)
        {
            return SubscriptionProblems.NotFound(id);
        }

        if (string.IsNullOrWhiteSpace(body?.PeriodFrom))
        {
            throw new InputException("periodFrom", "is required: the start of the delivered period, e.g. 2026-11-01 or 2026-10-31T23:00:00Z");
        }

        var from = RangeExpression.ResolvePoint(body.PeriodFrom, found.Subscription.TimeZone, time.GetUtcNow(), "periodFrom");
        var runId = await resends.RunOfPeriodAsync(id, from, cancellationToken)
                    ?? throw new InputException("periodFrom", $"no run of '{id}' reported a period starting at {from:O}; see GET /api/v1/runs?subscription={id}");
        var run = await ledger.FindAsync(runId, cancellationToken);
        return await SendAsync(context, run!, body.Recipient, body.AllowOtherAddress ?? false, resend, trail, cancellationToken);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string runId, RunLedger ledger, SubscriptionCarriers carriers, ResendStore resends,
        CancellationToken cancellationToken)
    {
        var run = await FindAsync(context, runId, ledger, carriers, cancellationToken);
        return run is null
            ? RunNotFound(runId)
            : TypedResults.Ok((await resends.ListAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken)).Select(ResendView.From).ToList());
    }

    private static async Task<IResult> SendAsync(HttpContext context, RunRecord run, string? recipient, bool allowOther, ResendService resend, AuditTrail trail,
        CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var target = $"{run.SubscriptionId}/{run.PeriodFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        try
        {
            var record = await resend.ResendAsync(run, recipient, allowOther, actor, cancellationToken);
            var view = ResendView.From(record);
            await trail.AppendAsync(new AuditRecord(actor, "runs.resend", target, After: AuditRecord.Json(new
            {
                view.ResendId, view.RunId, view.Recipient, allowOtherAddress = allowOther, view.MessageId, view.Files,
            }), ClientAddress: context.ClientAddress(), Outcome: record.Outcome == "delivered" ? AuditRecord.Success : "failed"), cancellationToken);
            return record.Outcome == "delivered"
                ? TypedResults.Ok(view)
                : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The mail server did not accept the resend", detail: record.SmtpReply ?? record.Error,
                    extensions: new Dictionary<string, object?> { ["result"] = view });
        }
        catch (OperatorActionException ex)
        {
            await trail.AppendAsync(new AuditRecord(actor, "runs.resend", target, After: AuditRecord.Json(new { run.RunId, recipient, allowOtherAddress = allowOther }),
                ClientAddress: context.ClientAddress(), Outcome: ex.Status == 500 ? "integrity-error" : "refused"), cancellationToken);
            return TypedResults.Problem(statusCode: ex.Status, title: ex.Title, detail: ex.Message);
        }
    }

    private static async Task<RunRecord?> FindAsync(HttpContext context, string runId, RunLedger ledger, SubscriptionCarriers carriers, CancellationToken cancellationToken)
    {
        var run = await ledger.FindAsync(runId, cancellationToken);
        return run is not null && await carriers.AllowsAsync(context.Actor().Scope, run.SubscriptionId, cancellationToken) ? run : null;
    }

    private static IResult RunNotFound(string runId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"run '{runId}' does not exist");
}
