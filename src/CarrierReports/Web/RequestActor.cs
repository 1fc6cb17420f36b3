using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web;

/// <summary>
/// Who is asking, for endpoints: the signed-in <see cref="Actor"/> (from a cookie, an API key or single sign-on) and
/// its carrier scope. Outside the scope an endpoint answers 404, exactly as for something that does not exist.
/// </summary>
public static class RequestActor
{
    /// <summary>The actor of a request that passed a role policy.</summary>
    /// <exception cref="InvalidOperationException">The endpoint is public or the principal is not ours (a wiring bug).</exception>
    public static Actor Actor(this HttpContext context) =>
        ActorClaims.FromPrincipal(context.User)
        ?? throw new InvalidOperationException($"{context.Request.Path}: no signed-in actor; the endpoint must declare a role policy");

    /// <summary>The actor, or null for an anonymous request.</summary>
    public static Actor? ActorOrNull(this HttpContext context) => ActorClaims.FromPrincipal(context.User);

    /// <summary>Whether the actor may see this carrier's data.</summary>
    public static bool MaySee(this HttpContext context, string carrier) => context.ActorOrNull()?.Scope.Allows(carrier) == true;

    /// <summary>The answer for something outside the actor's scope: the same 404 as for something that does not exist.</summary>
    public static IResult NotFoundOutsideScope() => Results.Problem(statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// Null when the actor may see <paramref name="carrier"/>, else the 404 to return:
    /// <c>if (context.CheckScope(sub.Carrier) is { } denied) return denied;</c>
    /// </summary>
    public static IResult? CheckScope(this HttpContext context, string carrier) => context.MaySee(carrier) ? null : NotFoundOutsideScope();

    /// <summary>The client's address for the audit trail.</summary>
    public static string? ClientAddress(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
