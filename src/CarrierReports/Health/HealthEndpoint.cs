using System.Text.Json;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CarrierReports.Health;

/// <summary>
/// The health URLs of the web host. <c>/health/live</c>: the process answers (no checks). <c>/health/ready</c>: database,
/// scheduler and cluster checks; 200 or 503. Both answer only a status word, never details, because they are
/// unauthenticated. <c>/health/details</c>: the full report of the <c>health</c> command, for signed-in users (any role).
/// Only GET and HEAD are routed; any other method gets 405 with an <c>Allow</c> header from routing.
/// </summary>
public static class HealthEndpoint
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Details = "/health/details";
    public const string ReadyTag = "ready";

    private static readonly string[] ReadOnlyMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteStatusAsync })
            .WithMetadata(new HttpMethodMetadata(ReadOnlyMethods)).WithPolicy(Policies.Public);
        endpoints.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteStatusAsync })
            .WithMetadata(new HttpMethodMetadata(ReadOnlyMethods)).WithPolicy(Policies.Public);
        endpoints.MapMethods(Details, ReadOnlyMethods, DetailsAsync).WithPolicy(Policies.Viewer);
        return endpoints;
    }

    /// <summary>Status only: recipient addresses, run errors and node names stay out of what anyone can read.</summary>
    private static Task WriteStatusAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }), context.RequestAborted);
    }

    /// <summary>The full report (recipients' addresses, errors, node names): for signed-in users of any role.</summary>
    private static async Task<IResult> DetailsAsync(HttpContext context, HealthCheck check)
    {
        var report = await check.CheckAsync(context.RequestAborted);
        return Results.Text(report.ToText() + "\n", "text/plain; charset=utf-8", statusCode: report.Healthy ? 200 : 503);
    }
}
