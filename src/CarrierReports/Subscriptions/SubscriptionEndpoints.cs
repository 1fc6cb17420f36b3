using CarrierReports.Access;
using System.Text.Json;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Subscriptions;

/// <summary>
/// <c>/api/v1/subscriptions</c>: every reader sees subscriptions (viewers without the addresses); operators and
/// admins change database ones. Every read carries an <c>ETag</c> and every change needs it back in <c>If-Match</c>.
/// Outside the caller's carrier scope a subscription answers 404, as if it did not exist.
/// </summary>
public static class SubscriptionEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subscriptions").RequireAuthorization(Policies.Viewer).WithTags("Subscriptions");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/versions", HistoryAsync);

        var change = group.MapGroup("").RequireAuthorization(Policies.Operator);
        change.MapPost("/", CreateAsync);
        change.MapPut("/{id}", UpdateAsync);
        change.MapDelete("/{id}", DeleteAsync);
        change.MapPost("/{id}/enable", (HttpContext c, string id, SubscriptionStore s, CancellationToken ct) => SetEnabledAsync(c, id, true, s, ct));
        change.MapPost("/{id}/disable", (HttpContext c, string id, SubscriptionStore s, CancellationToken ct) => SetEnabledAsync(c, id, false, s, ct));
        change.MapPost("/{id}/versions/{version:int}/restore", RestoreAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, SubscriptionStore store, string? carrier, bool? enabled, string? source,
        string? after, int? limit, CancellationToken cancellationToken)
    {
        var size = limit ?? 100;
        if (size is < 1 or > MaxPageSize)
        {
            throw new InputException("limit", $"{size} is not between 1 and {MaxPageSize}");
        }

        if (source is not (null or "database" or "file" or "settings"))
        {
            throw new InputException("source", $"'{source}' is not a source; use database, file or settings");
        }

        var actor = context.Actor();
        var afterId = after is null ? null : KeysetCursor.Decode(after, "after");
        var (found, more) = await store.PageAsync(
            s => actor.Scope.Allows(s.Carrier)
                 && (carrier is null || s.Carrier == carrier)
                 && (enabled is null || s.Enabled == enabled)
                 && (source is null || SubscriptionResource.SourceOf(s.Origin) == source),
            afterId, size, SubscriptionStore.CarriersToRead(actor.Scope, carrier), cancellationToken);
        var page = found.Select(s => SubscriptionResource.From(s, actor.Role)).ToList();
        return TypedResults.Ok(new SubscriptionPage(page, more ? KeysetCursor.Encode(page[^1].Id) : null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, SubscriptionStore store, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var found = await store.FindAsync(id, actor.Scope, cancellationToken);
        return found is null ? SubscriptionProblems.NotFound(id) : WithETag(context, SubscriptionResource.From(found, actor.Role));
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, string id, SubscriptionHistory history, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var versions = await history.ListAsync(id, cancellationToken);
        if (versions.Count == 0 || !actor.Scope.Allows(versions[^1].Definition.Carrier))
        {
            return SubscriptionProblems.NotFound(id);
        }

        var etag = SubscriptionETag.Of(versions[^1].Definition, versions[^1].Version);
        context.Response.Headers.ETag = etag;
        return TypedResults.Ok(new HistoryView(id, etag, [.. versions.Select(v => VersionView.From(v, actor.Role))]));
    }

    private static Task<IResult> CreateAsync(HttpContext context, SubscriptionStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, null, needsIfMatch: false, async (who, _) =>
        {
            var definition = await ReadDefinitionAsync(context, null, cancellationToken);
            var created = await store.CreateAsync(definition, who, cancellationToken);
            var view = SubscriptionResource.From(created, who.Actor.Role);
            context.Response.Headers.ETag = view.ETag;
            return TypedResults.Created($"/api/v1/subscriptions/{view.Id}", view);
        });

    private static Task<IResult> UpdateAsync(HttpContext context, string id, SubscriptionStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, needsIfMatch: true, async (who, ifMatch) =>
        {
            var definition = await ReadDefinitionAsync(context, id, cancellationToken);
            return WithETag(context, SubscriptionResource.From(await store.UpdateAsync(id, definition, ifMatch!, who, cancellationToken), who.Actor.Role));
        });

    private static Task<IResult> SetEnabledAsync(HttpContext context, string id, bool enabled, SubscriptionStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, needsIfMatch: true, async (who, ifMatch) =>
            WithETag(context, SubscriptionResource.From(await store.SetEnabledAsync(id, enabled, ifMatch!, who, cancellationToken), who.Actor.Role)));

    private static Task<IResult> DeleteAsync(HttpContext context, string id, SubscriptionStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, needsIfMatch: true, async (who, ifMatch) =>
        {
            var deleted = await store.DeleteAsync(id, ifMatch!, who, cancellationToken);
            context.Response.Headers.ETag = deleted.ETag;
            return TypedResults.NoContent();
        });

    private static Task<IResult> RestoreAsync(HttpContext context, string id, int version, SubscriptionStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, needsIfMatch: true, async (who, ifMatch) =>
            WithETag(context, SubscriptionResource.From(await store.RestoreAsync(id, version, ifMatch!, who, cancellationToken), who.Actor.Role)));

    /// <summary>The common frame of a change: If-Match present when needed, and the store's refusals as problem details.</summary>
    private static async Task<IResult> ChangeAsync(HttpContext context, string? id, bool needsIfMatch, Func<SubscriptionActor, string?, Task<IResult>> change)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString().Trim();
        if (needsIfMatch && ifMatch.Length == 0)
        {
            return SubscriptionProblems.IfMatchRequired(id!);
        }

        try
        {
            return await change(new SubscriptionActor(context.Actor(), context.ClientAddress()), ifMatch.Length == 0 ? null : ifMatch);
        }
        catch (SubscriptionException ex)
        {
            return SubscriptionProblems.Invalid(ex);
        }
        catch (SubscriptionChangeException ex)
        {
            return SubscriptionProblems.Refused(ex);
        }
        catch (JsonException ex)
        {
            return SubscriptionProblems.Unreadable(ex);
        }
    }

    /// <summary>Reads the body with the same strict options as a subscription file (unknown fields are errors); the URL's id wins when the body has none.</summary>
    private static async Task<SubscriptionDefinition> ReadDefinitionAsync(HttpContext context, string? id, CancellationToken cancellationToken)
    {
        var definition = await JsonSerializer.DeserializeAsync<SubscriptionDefinition>(context.Request.Body, SubscriptionCatalog.Json, cancellationToken)
                         ?? throw new JsonException("the body is empty; send a subscription definition", "$", null, null);
        definition.Recipients ??= new SubscriptionRecipients();
        definition.Formats ??= [];
        if (id is not null && string.IsNullOrEmpty(definition.Id))
        {
            definition.Id = id;
        }

        return definition;
    }

    private static IResult WithETag(HttpContext context, SubscriptionResource view)
    {
        context.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }
}
