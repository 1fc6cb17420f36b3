using System.Reflection;
using System.Threading.RateLimiting;
using CarrierReports.Web;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace CarrierReports.WebConsole;

/// <summary>
/// The web console: Razor Pages under <c>WebConsole/Pages</c> (routes in <see cref="ConsoleUrls"/>), its CSS and
/// JavaScript embedded in the assembly and served at <c>/assets/</c>, and the sign-in redirect for page requests.
/// The folder is not called <c>Console</c>: a <c>CarrierReports.Console</c> namespace would hide <see cref="System.Console"/>
/// from the CLI code in <c>CarrierReports.*</c>.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>The rate limit of the console's sign-in form (POST only; the page itself may be fetched freely).</summary>
    public const string SignInRateLimit = "console-sign-in";

    private const string AssetsNamespace = "CarrierReports.WebConsole.Assets";

    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/WebConsole/Pages";
            o.Conventions.ConfigureFilter(new ConsoleSecurityFilter());
            o.Conventions.ConfigureFilter(new OneTimePasswordFilter());
        }).ConfigureApplicationPartManager(AddCompiledPages);
        services.AddSingleton<Reports.CarrierChoices>();
        services.AddSingleton<Overview.OverviewQueries>();
        services.AddSingleton<Pages.Subscriptions.MailPreviewStash>();
        services.PostConfigure<CookieAuthenticationOptions>(AuthSchemes.Cookie, o =>
        {
            // The API answers 401/403; a person opening a page is sent to the sign-in form instead.
            var apiLogin = o.Events.OnRedirectToLogin;
            o.Events.OnRedirectToLogin = context =>
            {
                if (!IsConsolePage(context.HttpContext))
                {
                    return apiLogin(context);
                }

                context.Response.Redirect(ConsoleUrls.SignInFor(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
                return Task.CompletedTask;
            };
        });
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(SignInRateLimit, context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter("page");
            }

            var permits = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.SignInPermitsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }));
        return services;
    }

    /// <summary>Serves <c>/assets/*</c> from the assembly, so <c>dotnet run</c>, the published build and the tests find them wherever they run.</summary>
    public static IApplicationBuilder UseConsoleAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = ConsoleUrls.Assets,
            FileProvider = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), AssetsNamespace),
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // Revalidated on each use (ETag/Last-Modified answer 304): a new build never leaves a stale script in a browser.
            OnPrepareResponse = f => f.Context.Response.Headers.CacheControl = "no-cache",
        });

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages();
        return endpoints;
    }

    /// <summary>
    /// MVC looks for pages in the entry assembly, which is not this one under the test host; the Razor SDK's part
    /// factory of this assembly gives its types and its compiled pages.
    /// </summary>
    private static void AddCompiledPages(ApplicationPartManager manager)
    {
        var assembly = typeof(ConsoleSetup).Assembly;
        if (manager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
        {
            return;
        }

        foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
        {
            manager.ApplicationParts.Add(part);
        }
    }

    private static bool IsConsolePage(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ConsolePageAttribute>() is not null;
}
