using CarrierReports.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Health;

public static class HealthSetup
{
    /// <summary>
    /// The health check, for the <c>health</c> command, and the HTTP endpoint when <see cref="HealthOptions.Url"/> is
    /// set (a hosted service: it listens only in a host that runs, i.e. <c>serve</c>).
    /// </summary>
    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section);
        services.AddSchedulingOptions();
        services.AddSingleton<HealthCheck>();
        if (configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() is { Url: { Length: > 0 } })
        {
            services.AddHostedService<HealthEndpoint>();
        }

        return services;
    }
}
