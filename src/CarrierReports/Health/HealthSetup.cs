using CarrierReports.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CarrierReports.Health;

public static class HealthSetup
{
    /// <summary>The health check, for the <c>health</c> command and the web host's health endpoints.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section);
        services.AddSchedulingOptions();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton<OverdueListCache>();
        return services;
    }

    /// <summary>For the web host of <c>serve</c>: the checks behind <c>/health/ready</c>.</summary>
    /// <param name="scheduler">False on a web-only node: there is no local scheduler to look at, which is fine.</param>
    public static IServiceCollection AddHealthEndpoints(this IServiceCollection services, bool scheduler)
    {
        services.AddSingleton<HealthReportCache>();
        string[] ready = [HealthEndpoint.ReadyTag];
        var checks = services.AddHealthChecks()
            .AddTypeActivatedCheck<ReportItemHealthCheck>("database", HealthStatus.Unhealthy, ready, "database")
            .AddTypeActivatedCheck<ReportItemHealthCheck>("cluster", HealthStatus.Unhealthy, ready, "cluster");
        if (scheduler)
        {
            checks.AddCheck<SchedulerHealthCheck>("scheduler", HealthStatus.Unhealthy, ready);
        }
        else
        {
            checks.AddCheck("scheduler", () => HealthCheckResult.Healthy("web-only node: no scheduler here"), ready);
        }

        return services;
    }
}
