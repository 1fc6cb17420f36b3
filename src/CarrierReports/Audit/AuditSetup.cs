using CarrierReports.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarrierReports.Audit;

public static class AuditSetup
{
    /// <summary>The hash-chained audit trail in the service database.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditSchema>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaPart, AuditSchema>(s => s.GetRequiredService<AuditSchema>()));
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditSearch>();
        return services;
    }
}
