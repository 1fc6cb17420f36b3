using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarrierReports.Audit;

public static class AuditSetup
{
    /// <summary>The hash-chained audit trail in the service database.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditSchema>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditSearch>();
        return services;
    }
}
