using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Reports;

public static class ReportsSetup
{
    /// <summary>Binds <see cref="ReportLimits"/> from the <c>Reports</c> section, validated when first used and at host start.</summary>
    public static IServiceCollection AddReportLimits(this IServiceCollection services)
    {
        services.AddOptions<ReportLimits>().BindConfiguration(ReportLimits.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportLimits>, ReportLimitsValidator>();
        return services;
    }
}
