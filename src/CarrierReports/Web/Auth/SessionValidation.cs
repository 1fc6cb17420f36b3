using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Web.Auth;

/// <summary>
/// Checks a session cookie on every request against the account: a disabled account or a changed password (a new
/// security stamp) ends the session at once, and a changed role or carrier scope takes effect at once.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var actor = context.Principal is { } p ? ActorClaims.FromPrincipal(p) : null;
        if (actor is null)
        {
            await RejectAsync(context);
            return;
        }

        if (actor.Method != AuthMethod.Password)
        {
            return; // single sign-on sessions carry what the provider said; they end with the cookie
        }

        var stamp = context.Principal!.FindFirst(ActorClaims.SecurityStamp)?.Value;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var user = stamp is null ? null : await users.ValidateSessionAsync(actor.Name, stamp, context.HttpContext.RequestAborted);
        if (user is null)
        {
            await RejectAsync(context);
            return;
        }

        if (user.MustChangePassword && context.Principal!.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            // For this request only (the account is read on each one): the console holds such a session on the
            // password form (WebConsole.OneTimePasswordFilter); the change of password clears the flag.
            identity.AddClaim(new System.Security.Claims.Claim(WebConsole.OneTimePasswordFilter.Claim, "true"));
        }

        var current = user.ToActor();
        if (current.Role != actor.Role || !current.Scope.Equals(actor.Scope))
        {
            context.ReplacePrincipal(ActorClaims.ToPrincipal(current, AuthSchemes.Cookie, user.SecurityStamp));
            context.ShouldRenew = true;
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
    }
}
