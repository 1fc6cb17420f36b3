using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Audit;

public static class AuditSetup
{
    /// <summary>The hash-chained audit trail in the service database.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditSchema>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditSearch>();
        return services;
    }
}
