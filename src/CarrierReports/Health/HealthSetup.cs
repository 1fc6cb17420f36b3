using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Health;

public static class HealthSetup
{
    /// <summary>The health check, for the <c>health</c> command and the endpoint.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section);
        services.AddSingleton<HealthCheck>();
        return services;
    }

    /// <summary>For <c>serve</c>: the HTTP endpoint, when <see cref="HealthOptions.Url"/> is set.</summary>
    public static IServiceCollection AddHealthEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() is { Url: { Length: > 0 } })
        {
            services.AddHostedService<HealthEndpoint>();
        }

        return services;
    }
}
