using CarrierReports.Cdr;
using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

public static class RollupSetup
{
    /// <summary>
    /// The <c>Rollups</c> settings, the store and writers, and <see cref="ICdrSource"/>: the rollup-aware source when
    /// <see cref="RollupOptions.Enabled"/>, else the raw one. Nothing touches the service database unless enabled or asked.
    /// </summary>
    public static IServiceCollection AddRollups(this IServiceCollection services)
    {
        services.AddSettings<RollupOptions>(RollupOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RollupOptions>, RollupOptionsValidator>());
        services.TryAddSingleton<RollupStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Storage.ISchemaPart, RollupSchemaPart>());
        services.TryAddSingleton<RollupRefresher>();
        services.TryAddSingleton<RollupReconciler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Health.IHealthContributor, RollupHealth>());
        services.TryAddSingleton(sp => (ICdrSlotSource)sp.GetRequiredKeyedService<ICdrSource>(CdrSetup.RawSource));
        // In place of the raw source that AddCdrSource registered: reports read through the rollups when enabled.
        services.Replace(ServiceDescriptor.Singleton<ICdrSource>(sp =>
        {
            var raw = sp.GetRequiredKeyedService<ICdrSource>(CdrSetup.RawSource);
            return sp.GetRequiredService<IOptions<RollupOptions>>().Value.Enabled && raw is ICdrSlotSource slots
                ? new RollupCdrSource(raw, slots, sp.GetRequiredService<RollupStore>())
                : raw;
        }));
        return services;
    }
}
