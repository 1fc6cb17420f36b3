using CarrierReports.Identity;
using CarrierReports.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CarrierReports.Web.Auth;

/// <summary>
/// Single sign-on through an OpenID Connect provider (settings <c>Auth:Oidc</c>): authorization code flow with PKCE;
/// the ID token's claims become an <see cref="Access.Actor"/> (see <see cref="OidcClaims"/>) that is signed in with the
/// ordinary session cookie, so policies, carrier scopes and antiforgery work exactly as for a password session.
/// Registered only when the section exists.
/// </summary>
public static class OidcSetup
{
    public const string Scheme = "oidc";

    /// <summary><c>GET /signin/oidc?returnUrl=/path</c> sends the browser to the provider; the web console links here.</summary>
    public const string StartPath = "/signin/oidc";

    /// <summary>Where the provider sends the browser back (the redirect URI to register at the provider).</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>
    /// Where the callback sends the browser before <c>returnUrl</c>. The session cookie is SameSite=Strict and the
    /// callback is reached through the provider's site; a browser that judges a redirect by its whole chain withholds
    /// the new cookie on the redirect to <c>returnUrl</c> (Chromium, measured in the console's SSO test, does not). This
    /// page's own refresh is a same-site navigation, which carries it in every browser.
    /// </summary>
    public const string LandingPath = "/signin/oidc/done";

    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(OidcOptions.Section).Exists();

    public static AuthenticationBuilder AddOidcSignIn(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return auth;
        }

        auth.Services.AddSettings<OidcOptions>(OidcOptions.Section);
        auth.Services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        auth.Services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IOptions<OidcOptions>>((o, settings) => Configure(o, settings.Value));
        auth.AddOpenIdConnect(Scheme, "Single sign-on", _ => { });
        return auth;
    }

    private static void Configure(OpenIdConnectOptions o, OidcOptions settings)
    {
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;

        // The code comes back in the query string (the code flow's standard mode): a top-level GET from the provider
        // carries SameSite=Lax cookies, so the correlation and nonce cookies need neither SameSite=None nor HTTPS.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.Scope.Clear();
        foreach (var scope in settings.ScopeList())
        {
            o.Scope.Add(scope);
        }

        o.CallbackPath = CallbackPath;
        o.SignInScheme = AuthSchemes.Cookie;

        // The claims keep the provider's names, so Auth:Oidc:RoleClaim means the claim as the provider spells it.
        o.MapInboundClaims = false;
        o.SaveTokens = false; // nothing calls the provider's APIs; the cookie stays small
        o.GetClaimsFromUserInfoEndpoint = false;
        o.DisableTelemetry = true;
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        o.Events = OidcEvents.Create();
    }

    /// <summary>Maps <see cref="StartPath"/> when single sign-on is configured (otherwise it answers 404 like any unknown path).</summary>
    public static IEndpointRouteBuilder MapOidcEndpoints(this IEndpointRouteBuilder endpoints)
    {
        if (IsConfigured(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            endpoints.MapGet(StartPath, StartAsync).WithTags("Session").WithPolicy(Policies.Public).RequireRateLimiting(AuthSchemes.SignInRateLimit)
                .WithSummary($"Single sign-on: redirects to the OpenID Connect provider, which sends the browser back to {CallbackPath} and then to returnUrl (a local path)")
                .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            endpoints.MapGet(LandingPath, Landing).WithTags("Session").WithPolicy(Policies.Public)
                .WithSummary("Single sign-on: a page that continues to returnUrl as a same-site navigation, so the new session cookie is sent");
        }

        return endpoints;
    }

    private static async Task<IResult> StartAsync(HttpContext context, string? returnUrl, IOptions<OidcOptions> settings, ILoggerFactory loggers)
    {
        var target = string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl;
        if (!IsLocal(target))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["returnUrl"] = ["must be a path on this site starting with a single / (e.g. /console/)"],
            });
        }

        try
        {
            await context.ChallengeAsync(Scheme, new AuthenticationProperties { RedirectUri = target });
            return TypedResults.Empty;
        }
        catch (InvalidOperationException ex)
        {
            // The handler reads the provider's metadata on the first challenge; a provider that is down or misnamed
            // is the operator's to fix, and the user can still sign in with a password meanwhile.
            OidcLog.ProviderUnreachable(loggers.CreateLogger(typeof(OidcSetup).FullName!), settings.Value.Authority!, ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Single sign-on unavailable",
                detail: $"the identity provider ({OidcOptions.Section}:Authority {settings.Value.Authority}) cannot be reached; try again later or sign in with a password");
        }
    }

    private static IResult Landing(string? returnUrl)
    {
        var target = System.Net.WebUtility.HtmlEncode(string.IsNullOrEmpty(returnUrl) || !IsLocal(returnUrl) ? "/" : returnUrl);
        return Results.Content(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={target}\">" +
            $"<title>Signed in</title></head><body><p>Signed in. <a href=\"{target}\">Continue</a></p></body></html>",
            "text/html; charset=utf-8");
    }

    /// <summary>A path on this site: <c>/x</c>, never <c>//host</c> or <c>/\host</c> (which browsers read as another site).</summary>
    internal static bool IsLocal(string url) =>
        url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
