using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace CarrierReports.Web;

/// <summary>
/// <c>/metrics</c> in Prometheus text format through OpenTelemetry: the service's runs, run durations, deliveries and
/// SMTP attempts (<see cref="ServiceMetrics"/>) and ASP.NET Core's HTTP server metrics. Served to a scraper on this
/// machine (loopback, not relayed by a proxy) or to an admin's API key; GET and HEAD only.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The policy of <see cref="Path"/>: loopback or admin.</summary>
    public const string Policy = "metrics";

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(ServiceMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(Policy, p => p.RequireAssertion(c =>
            c.Resource is HttpContext http && (LocalClient.IsLocal(http) || ActorClaims.FromPrincipal(http.User)?.Role == Role.Admin))));
        return services;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(Path)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .RequireAuthorization(Policy);
        return endpoints;
    }
}
