using Microsoft.Extensions.DependencyInjection.Extensions;
using CarrierReports.Settings;
using CarrierReports.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

public static class RunsSetup
{
    /// <summary>What both <c>serve</c> and <c>run</c> need: the ledger, the claims, the mail step, the runner and their settings.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddSettings<RunOptions>(RunOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunOptions>, RunOptionsValidator>());
        services.AddOptions<TestFaultOptions>().BindConfiguration(TestFaultOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TestFaultOptions>, TestFaultOptionsValidator>();
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<ReportMailer>();
        services.AddSingleton<RunLedger>();
        services.AddSingleton<RunSearch>();
        services.AddSingleton<LedgerHealthQueries>();
        services.AddSingleton<RunFaults>();
        services.AddSingleton<RunClaims>();
        services.AddSingleton<SubscriptionRunner>();
        services.AddSingleton<RunAlerts>();
        services.AddOperatorActions();
        return services;
    }
}
