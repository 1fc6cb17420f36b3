using System.Net;
using System.Text.Json;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CarrierReports.Health;

/// <summary>
/// The health URLs of the web host. <c>/health/live</c>: the process answers (no checks). <c>/health/ready</c>: database,
/// scheduler and cluster checks; 200 or 503. Both answer only a status word, never details, because they are
/// unauthenticated. <c>/health/details</c>: the full report of the <c>health</c> command, for loopback clients only.
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
            .WithMetadata(new HttpMethodMetadata(ReadOnlyMethods));
        endpoints.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteStatusAsync })
            .WithMetadata(new HttpMethodMetadata(ReadOnlyMethods));
        endpoints.MapMethods(Details, ReadOnlyMethods, DetailsAsync);
        return endpoints;
    }

    /// <summary>Status only: recipient addresses, run errors and node names stay out of what anyone can read.</summary>
    private static Task WriteStatusAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }), context.RequestAborted);
    }

    // There is no sign-in yet: until issue 10 moves this report behind it (signed-in users only), only a client on this
    // machine may read it, and only while Web:DetailsFromLoopback is true (set it false behind a local reverse proxy).
    private static async Task<IResult> DetailsAsync(HttpContext context, HealthCheck check, IOptions<WebOptions> web)
    {
        if (!web.Value.DetailsFromLoopback)
        {
            return Results.NotFound();
        }

        if (!IsLocalClient(context))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var report = await check.CheckAsync(context.RequestAborted);
        return Results.Text(report.ToText() + "\n", "text/plain; charset=utf-8", statusCode: report.Healthy ? 200 : 503);
    }

    /// <summary>A loopback peer that is not relaying someone else: a proxy on this machine adds forwarding headers.</summary>
    private static bool IsLocalClient(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded");
}
