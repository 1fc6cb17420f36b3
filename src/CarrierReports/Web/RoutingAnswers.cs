using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web;

/// <summary>
/// The answers routing gives on its own: 405 for a known path with the wrong method (an endpoint of routing's that
/// carries no metadata) and 404 for a path nothing serves (no endpoint at all). The deny-by-default fallback policy
/// would turn both into 401 for anyone not signed in; neither reveals nor grants anything, so both are made
/// anonymous endpoints here: 405 with its <c>Allow</c> header and 404, for everyone.
/// </summary>
public static class RoutingAnswers
{
    /// <summary>The display name ASP.NET Core routing gives its 405 endpoint.</summary>
    private const string RoutingDisplayName = "405 HTTP Method Not Supported";

    private static readonly EndpointMetadataCollection Anonymous = new(new AllowAnonymousAttribute());

    private static readonly Endpoint NotFound = new(context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }, Anonymous, "404 Not Found");

    /// <summary>Between routing and authorization.</summary>
    public static IApplicationBuilder UseAnonymousRoutingAnswers(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is null)
            {
                context.SetEndpoint(NotFound);
            }
            else if (endpoint is { DisplayName: RoutingDisplayName, Metadata.Count: 0, RequestDelegate: { } answer })
            {
                context.SetEndpoint(new Endpoint(answer, Anonymous, endpoint.DisplayName));
            }

            return next(context);
        });
}
