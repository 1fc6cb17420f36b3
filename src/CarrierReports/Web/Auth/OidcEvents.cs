using CarrierReports.Audit;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Web.Auth;

/// <summary>
/// The OpenID Connect handler's events: a validated ID token becomes our principal (or is refused), and every way the
/// sign-in can fail ends in problem details and an audit row instead of the handler's exception page.
/// </summary>
internal static class OidcEvents
{
    /// <summary>The refusal message, set by <see cref="TokenValidatedAsync"/> for <see cref="RemoteFailureAsync"/>.</summary>
    private const string RefusalKey = "cr:oidc-refusal";

    public static OpenIdConnectEvents Create() => new()
    {
        OnTokenValidated = TokenValidatedAsync,
        OnRemoteFailure = RemoteFailureAsync,
        OnTicketReceived = context =>
        {
            // The cookie is written on this cross-site response; the landing page makes the step to returnUrl same-site.
            context.ReturnUri = $"{OidcSetup.LandingPath}?returnUrl={Uri.EscapeDataString(context.ReturnUri ?? "/")}";
            return Task.CompletedTask;
        },
    };

    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        var result = OidcClaims.Map(context.Principal!, options);
        await http.RequestServices.GetRequiredService<AuditTrail>().AppendAsync(SignInAudit.OidcSignIn(result, http.ClientAddress()), http.RequestAborted);
        if (!result.Succeeded)
        {
            http.Items[RefusalKey] = result.Refusal;
            context.Fail(result.Refusal!);
            return;
        }

        // The cookie holds our claims only (role, scope, method oidc, the subject as auth id); the provider's tokens
        // are not kept.
        context.Principal = ActorClaims.ToPrincipal(result.Actor!, AuthSchemes.Cookie);

        // No sliding renewal: there is no local account to disable, so an SSO session must end on its own, at most
        // Web:SessionIdleTimeout after sign-in; the next sign-in asks the provider again, where access is ended.
        context.Properties!.AllowRefresh = false;
    }

    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        context.HandleResponse();
        var refusal = http.Items[RefusalKey] as string;
        if (refusal is null)
        {
            // Before the provider said who it is (cancelled at the provider, a stale or forged callback): audited
            // too, so that probing the callback shows in the trail.
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEvents).FullName!);
            OidcLog.Failed(logger, context.Failure?.Message ?? "unknown");
            await http.RequestServices.GetRequiredService<AuditTrail>().AppendAsync(SignInAudit.OidcFailed("failed", http.ClientAddress()), http.RequestAborted);
        }

        await Results.Problem(
            statusCode: refusal is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden,
            title: "Single sign-on failed",
            detail: refusal ?? $"Sign-in with the identity provider did not complete; start again at {OidcSetup.StartPath}.")
            .ExecuteAsync(http);
    }
}
