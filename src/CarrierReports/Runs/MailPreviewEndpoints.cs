using System.Text.Json;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary>
/// The rendered mail of a preview (<c>mail=true</c> on the preview routes) and its attachments' bytes. Rendered by the
/// runner's components through <see cref="ReportRendering"/> and sent to nobody: no run, archive entry or delivery is written.
/// </summary>
public static class MailPreviewEndpoints
{
    public static IEndpointRouteBuilder MapMailPreviewEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subscriptions").RequireAuthorization(Policies.Operator).WithTags("Operations");
        group.MapGet("/{id}/preview/files/{fileName}", SavedFileAsync);
        group.MapPost("/preview/files/{fileName}", DraftFileAsync);
        return app;
    }

    /// <summary>The schedule preview, with the mail of the latest settled period when <paramref name="mail"/> is true.</summary>
    internal static async Task<IResult> PreviewAsync(Subscription s, int count, bool? mail, bool? attachmentContent, string hrefBase, ReportRendering rendering,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var schedule = SchedulePreview.Of(s, time.GetUtcNow(), count);
        if (mail != true)
        {
            return TypedResults.Ok(schedule);
        }

        var fire = schedule.LatestSettled?.Utc ?? rendering.LatestSettledFire(s, "mail");
        var rendered = await rendering.RenderAsync(s, fire, cancellationToken);
        var content = rendering.Content(rendered, MailPreview.References(rendered), cancellationToken);
        return TypedResults.Ok(schedule with { Mail = MailPreview.From(rendered, content, rendering.OverLimit(rendered), hrefBase, attachmentContent == true) });
    }

    /// <summary>Reads a draft subscription from the body: the subscription, or the problem that names what is wrong (404 outside the caller's scope).</summary>
    internal static async Task<(Subscription? Draft, IResult? Problem)> ReadDraftAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var definition = await JsonSerializer.DeserializeAsync<SubscriptionDefinition>(context.Request.Body, SubscriptionCatalog.Json, cancellationToken)
                             ?? throw new JsonException("the body is empty; send a subscription definition", "$", null, null);
            var draft = Subscription.Create(definition, "draft");
            return context.Actor().Scope.Allows(draft.Carrier)
                ? (draft, null)
                : (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"carrier '{draft.Carrier}' does not exist"));
        }
        catch (SubscriptionException ex)
        {
            return (null, SubscriptionProblems.Invalid(ex));
        }
        catch (JsonException ex)
        {
            return (null, SubscriptionProblems.Unreadable(ex));
        }
    }

    private static async Task<IResult> SavedFileAsync(HttpContext context, string id, string fileName, string? asOf, SubscriptionStore store,
        ReportRendering rendering, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(id, context.Actor().Scope, cancellationToken);
        return found is null ? SubscriptionProblems.NotFound(id) : await FileAsync(found.Subscription, fileName, asOf, rendering, cancellationToken);
    }

    private static async Task<IResult> DraftFileAsync(HttpContext context, string fileName, string? asOf, ReportRendering rendering, CancellationToken cancellationToken)
    {
        var (draft, problem) = await ReadDraftAsync(context, cancellationToken);
        return draft is null ? problem! : await FileAsync(draft, fileName, asOf, rendering, cancellationToken);
    }

    /// <summary>One attachment's bytes, rendered again for the fire time (the files are reproducible: the same inputs give the same bytes).</summary>
    private static async Task<IResult> FileAsync(Subscription s, string fileName, string? asOf, ReportRendering rendering, CancellationToken cancellationToken)
    {
        var rendered = await rendering.RenderAsync(s, rendering.FireFor(s, asOf, "asOf"), cancellationToken);
        var file = rendered.Attachments.FirstOrDefault(a => a.FileName == fileName);
        return file is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: $"the mail has no attachment '{fileName}'; it has {string.Join(", ", rendered.Attachments.Select(a => a.FileName))}")
            : TypedResults.File(file.Content, file.ContentType, file.FileName);
    }
}
