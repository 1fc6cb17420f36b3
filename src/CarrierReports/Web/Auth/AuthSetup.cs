using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Web.Auth;

/// <summary>Sign-in (cookie, API key, single sign-on when <c>Auth:Oidc</c> is set), the role policies, the antiforgery service and the sign-in rate limit.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddWebAuth(this IServiceCollection services, WebOptions options, IConfiguration configuration)
    {
        services.AddAuthentication(AuthSchemes.CookieOrKey)
            .AddPolicyScheme(AuthSchemes.CookieOrKey, "Cookie or API key", o =>
                o.ForwardDefaultSelector = context => AuthSchemes.HasBearer(context.Request) ? AuthSchemes.ApiKey : AuthSchemes.Cookie)
            .AddCookie(AuthSchemes.Cookie, o => ConfigureCookie(o, options))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(AuthSchemes.ApiKey, null)
            .AddOidcSignIn(configuration);
        services.AddAuthorization(o => o.AddPolicies());
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AuthSchemes.AntiforgeryHeader;
            o.Cookie.Name = AuthSchemes.AntiforgeryCookieName;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders already sends DENY
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(AuthSchemes.SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o, WebOptions options)
    {
        o.Cookie.Name = AuthSchemes.CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = options.SessionIdleTimeout;
        o.SlidingExpiration = true;
        o.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = SessionValidation.ValidateAsync,

            // An API: answer 401/403 (problem details from the status-code pages), never redirect to a login page.
            OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            },
            OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>After routing: the rate limiter, who is asking, what they may do, and the antiforgery check.</summary>
    public static IApplicationBuilder UseWebAuth(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CsrfCheck>();
        return app;
    }
}
