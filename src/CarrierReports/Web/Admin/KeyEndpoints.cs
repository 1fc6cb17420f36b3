using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Web.Admin;

/// <summary>
/// <c>/api/v1/keys</c> (admin): list (never secrets), create (the key is in the answer, once), revoke. Audited like
/// <see cref="UserEndpoints"/>. The store is marked [FromServices]: its static TryParse (of tokens) would otherwise make
/// minimal APIs bind it from the route.
/// </summary>
public static class KeyEndpoints
{
    public const string Path = "/api/v1/keys";

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup(Path).WithTags("API keys").WithPolicy(Policies.Admin);
        keys.MapGet("", ListAsync).WithSummary("List API keys (never their secrets)");
        keys.MapPost("", CreateAsync).WithSummary("Create an API key; answers the key once").ProducesValidationProblem();
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("Revoke an API key: it stops working at once");
        return endpoints;
    }

    /// <param name="Carriers">Comma-separated carrier ids; empty or absent for all.</param>
    /// <param name="ExpiresAt">When the key stops working; absent for never.</param>
    public sealed record NewKeyRequest(string? Name, string? Role, string? Carriers, DateTimeOffset? ExpiresAt);

    /// <param name="State"><c>active</c>, <c>expired</c> or <c>revoked</c>.</param>
    public sealed record KeyView(string Id, string Name, string Role, IReadOnlyCollection<string> Carriers, string State, string CreatedBy,
        DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt);

    /// <param name="Token">The key for <c>Authorization: Bearer</c>; shown only in this answer.</param>
    public sealed record KeyWithToken(KeyView Key, string Token);

    private static KeyView View(ApiKey k, DateTimeOffset now) =>
        new(k.Id, k.Name, k.Role.Name(), k.Scope.Carriers, k.RevokedAt is not null ? "revoked" : k.IsExpired(now) ? "expired" : "active",
            k.CreatedBy, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.RevokedBy, k.LastUsedAt);

    private static async Task<Ok<KeyView[]>> ListAsync([FromServices] ApiKeyStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(k => View(k, now)).ToArray());
    }

    private static async Task<Created<KeyWithToken>> CreateAsync(NewKeyRequest body, HttpContext context, [FromServices] ApiKeyStore store, TimeProvider time)
    {
        var role = Roles.Parse(body.Role, "role");
        var scope = CarrierScope.Parse(body.Carriers, "carriers");
        var actor = context.Actor();
        var created = await store.CreateAsync(body.Name ?? "", role, scope, body.ExpiresAt, actor.Name, Audit(context, "keys.create"), context.RequestAborted);
        return TypedResults.Created($"{Path}/{created.Key.Id}", new KeyWithToken(View(created.Key, time.GetUtcNow()), created.Token));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, [FromServices] ApiKeyStore store, TimeProvider time)
    {
        var revoked = await store.RevokeAsync(id, context.Actor().Name, Audit(context, "keys.revoke"), context.RequestAborted);
        return revoked is { } r
            ? TypedResults.Ok(View(r.After, time.GetUtcNow()))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"id: there is no key '{id}'");
    }

    private static Audit.AuditChange<ApiKey> Audit(HttpContext context, string action) =>
        WebAudit.Change<ApiKey>(context, action, k => k.Id, KeysCommand.Snapshot);
}
