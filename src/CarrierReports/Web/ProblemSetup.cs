using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Web;

/// <summary>
/// Every error is RFC 9457 problem details: bodiless 401/403/404/405/429 answers get one from the status-code pages,
/// an <see cref="InputException"/> becomes 400 naming the field (the same words as the CLI), an unreadable body 400
/// with why, and anything else 500 without internals.
/// </summary>
public static class ProblemSetup
{
    public static IServiceCollection AddWebProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<InputProblemHandler>();

        // Bad JSON or a missing body throws, so the handler below can say what was wrong instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    public static IApplicationBuilder UseWebProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Turns bad input into 400 problem details; other exceptions fall through to the default 500.</summary>
    private sealed class InputProblemHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            IResult? result = exception switch
            {
                InputException input => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [input.Field] = [input.Reason] }, detail: input.Message),
                BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: "Bad request", detail: bad.Message),
                _ => null,
            };
            if (result is null)
            {
                return false;
            }

            await result.ExecuteAsync(context);
            return true;
        }
    }
}
