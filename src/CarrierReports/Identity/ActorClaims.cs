using CarrierReports.Access;
using System.Security.Claims;

namespace CarrierReports.Identity;

/// <summary>
/// An <see cref="Actor"/> as claims and back, for the cookie, API key and OIDC handlers: they build the principal with
/// <see cref="ToPrincipal"/>, and endpoints and the audit trail read it with <see cref="FromPrincipal"/>.
/// </summary>
public static class ActorClaims
{
    public const string Carriers = "cr:carriers";
    public const string Method = "cr:auth_method";
    public const string AuthId = "cr:auth_id";

    /// <summary>The cookie carries the account's security stamp; the cookie handler compares it on each validation.</summary>
    public const string SecurityStamp = "cr:stamp";

    /// <param name="securityStamp">For password sign-ins, the account's stamp at sign-in; null otherwise.</param>
    public static ClaimsPrincipal ToPrincipal(Actor actor, string authenticationType, string? securityStamp = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, actor.Name),

            // A stable identifier: the antiforgery token is bound to it, so a renewed cookie (new stamp, new role)
            // keeps the token the client already has.
            new(ClaimTypes.NameIdentifier, $"{Actor.MethodName(actor.Method)}:{actor.AuthId ?? actor.Name}"),
            new(ClaimTypes.Role, actor.Role.Name()),
            new(Carriers, actor.Scope.ToString()),
            new(Method, Actor.MethodName(actor.Method)),
        };
        if (actor.AuthId is not null)
        {
            claims.Add(new Claim(AuthId, actor.AuthId));
        }

        if (securityStamp is not null)
        {
            claims.Add(new Claim(SecurityStamp, securityStamp));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <returns>Null when the principal is not signed in or its claims are not ours (deny by default).</returns>
    public static Actor? FromPrincipal(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || principal.FindFirstValue(ClaimTypes.Name) is not { } name
            || !Roles.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role)
            || principal.FindFirstValue(Carriers) is not { } carriers
            || !TryMethod(principal.FindFirstValue(Method), out var method))
        {
            return null;
        }

        return new Actor(name, role, CarrierScope.Parse(carriers, Carriers), method, principal.FindFirstValue(AuthId));
    }

    private static bool TryMethod(string? text, out AuthMethod method)
    {
        foreach (var m in Enum.GetValues<AuthMethod>())
        {
            if (Actor.MethodName(m) == text)
            {
                method = m;
                return true;
            }
        }

        method = default;
        return false;
    }
}
