using CarrierReports.Archive;
using CarrierReports.Health;
using CarrierReports.Recipients;
using CarrierReports.Reports;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports;

/// <summary>
/// The HTTP table of contents, as <see cref="CliApp"/> is for commands: each feature maps its own routes (and declares
/// their policies). The web host's own endpoints (sign-in, users, keys, audit, metrics, API reference) are mapped by
/// <see cref="Web.WebSetup.MapWebHost"/>, which also sets up the pipeline these run in.
/// </summary>
public static class Endpoints
{
    /// <summary>What the feature endpoints need beyond <see cref="AppHost"/>: the readiness checks.</summary>
    /// <param name="scheduler">Whether this node runs Quartz (the readiness check looks at it only then).</param>
    public static IServiceCollection AddFeatureEndpoints(this IServiceCollection services, bool scheduler) =>
        services.AddHealthEndpoints(scheduler).AddBackfillJobs();

    public static void MapFeatureEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapSubscriptionEndpoints();
        app.MapRunEndpoints();
        app.MapOperatorEndpoints();
        app.MapOperatorActionEndpoints();
        app.MapArchiveEndpoints();
        app.MapReportEndpoints();
        app.MapRecipientEndpoints();
    }
}
