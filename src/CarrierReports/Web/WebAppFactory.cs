using CarrierReports.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Web;

/// <summary>
/// Builds the web application of <c>serve</c>: the services, the scheduler (unless web-only) and the pipeline. The
/// command starts it; the tests start the very same application in-process on a loopback port.
/// </summary>
public static class WebAppFactory
{
    /// <summary>The built application and whether it runs the scheduler.</summary>
    public sealed record Built(WebApplication App, bool Scheduler);

    /// <param name="configure">Lets tests replace services (e.g. the clock); runs after every registration.</param>
    /// <exception cref="InputException">A setting of the web host is not acceptable.</exception>
    public static Built Build(string? configFile, bool webOnly, bool verbose, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? configure)
    {
        var builder = AppHost.CreateWebBuilder(configFile, settings, verbose ? LogLevel.Debug : LogLevel.Information);
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        var urls = WebUrls.Validate(options, builder.Configuration);
        var scheduler = options.Scheduler && !webOnly;
        if (scheduler)
        {
            builder.Services.AddScheduling(builder.Configuration);
        }

        builder.AddWebHost(options, urls, scheduler, verbose);
        builder.Services.AddFeatureEndpoints(scheduler);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapWebHost();
        app.MapFeatureEndpoints();
        return new Built(app, scheduler);
    }
}
