using CarrierReports.Audit;
using CarrierReports.Web.Admin;
using CarrierReports.Web.Auth;
using CarrierReports.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Web;

/// <summary>Kestrel and the HTTP pipeline of <c>serve</c>. The web host shares the process, settings, logging and services of the scheduler.</summary>
public static class WebSetup
{
    /// <param name="urls">Already checked by <see cref="WebUrls.Validate"/>.</param>
    /// <param name="scheduler">Whether this node runs Quartz (the readiness check looks at it only then).</param>
    public static void AddWebHost(this WebApplicationBuilder builder, WebOptions options, IReadOnlyList<string> urls, bool scheduler, bool verbose)
    {
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestHeaderCount = 64;
            k.Limits.MaxRequestLineSize = 8 * 1024;
        });
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section);
        if (!options.AllowRemote && string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
        {
            // Loopback only, so only loopback names: a web page whose name an attacker re-points at 127.0.0.1 (DNS
            // rebinding) would otherwise reach a loopback-only service (e.g. /metrics) as "this machine". Kestrel answers other Host headers 400.
            builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"]);
        }

        options.Validate();
        builder.Services.AddWebProblems();
        builder.Services.AddWebAuth(options);
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddApiReference();
        builder.Services.AddWebConsole();

        // Sent only on HTTPS answers (and never for localhost), so a plain-HTTP loopback setup is unaffected.
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        if (!verbose)
        {
            // One line per request at Information would drown the scheduler's log; failures still show as warnings/errors.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }
    }

    /// <summary>The pipeline: security headers first so every answer carries them, problem details for every error, sign-in and authorization, then the endpoints. No CORS: browsers may only call it same-origin.</summary>
    public static void MapWebHost(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseHsts();
        app.UseConsoleAssets();
        app.UseWebProblems();
        app.UseRouting();
        app.UseAnonymousRoutingAnswers();
        app.UseWebAuth();
        app.MapSessionEndpoints();
        app.MapUserEndpoints();
        app.MapKeyEndpoints();
        app.MapAuditEndpoints();
        app.MapMetricsEndpoint();
        app.MapApiReference();
        app.MapWebConsole();
    }
}
