using CarrierReports.Audit;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Web.Admin;

/// <summary>
/// <c>/api/v1/audit</c> (auditor): search newest first with a keyset cursor, export as CSV (the export itself is
/// audited), and verify the hash chain.
/// </summary>
public static class AuditEndpoints
{
    public const string Path = "/api/v1/audit";

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapGroup(Path).WithTags("Audit").WithPolicy(Policies.Auditor);
        audit.MapGet("", SearchAsync)
            .WithSummary("Audit entries, newest first; filters actor, action (prefix with *), target, from, to; pass next as after for the next page")
            .ProducesValidationProblem();
        audit.MapGet("/export", ExportAsync).WithSummary("The matching entries as CSV, oldest first").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        audit.MapPost("/verify", VerifyAsync).WithSummary("Checks the hash chain; names the first row that was edited, deleted or inserted");
        return endpoints;
    }

    /// <param name="Next">Pass as <c>after</c> for the next (older) page; null on the last page.</param>
    public sealed record AuditPageView(IReadOnlyList<AuditEntry> Entries, long? Next);

    private static async Task<Ok<AuditPageView>> SearchAsync(AuditSearch search, CancellationToken cancellationToken,
        string? actor = null, string? action = null, string? target = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        long? after = null, int limit = 100)
    {
        var page = await search.QueryAsync(new AuditFilter(actor, action, target, from, to, after, limit, NewestFirst: true), cancellationToken);
        return TypedResults.Ok(new AuditPageView(page.Entries, page.Next));
    }

    private static async Task ExportAsync(HttpContext context, AuditSearch search, AuditTrail trail,
        string? actor = null, string? action = null, string? target = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var filter = new AuditFilter(actor, action, target, from, to, Limit: 500);
        if (filter is { From: { } f, To: { } t } && f >= t)
        {
            throw new InputException("to", $"{t:O} is not after from ({f:O})");
        }

        // Recorded before the rows are read, so the export's own row says it happened even if the client goes away.
        await trail.AppendAsync(WebAudit.Read(context, "audit.export", null) with { After = AuditRecord.Json(new { actor, action, target, from, to }) }, context.RequestAborted);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false));
        await AuditCsv.WriteAsync(writer, search.ReadAllAsync(filter, context.RequestAborted), context.RequestAborted);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(HttpContext context, AuditTrail trail)
    {
        var result = await trail.VerifyAsync(context.RequestAborted);
        await trail.AppendAsync(WebAudit.Read(context, "audit.verify", null) with { Outcome = result.Intact ? AuditRecord.Success : "broken" }, context.RequestAborted);
        return TypedResults.Ok(result);
    }
}
