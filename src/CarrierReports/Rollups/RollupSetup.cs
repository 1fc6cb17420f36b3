using CarrierReports.Cdr;
using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

public static class RollupSetup
{
    /// <summary>The service key of the CDR source that reads raw CDRs (the rollups' own input).</summary>
    public const string RawSource = "raw";

    /// <summary>
    /// The <c>Rollups</c> settings, the store and writers, and <see cref="ICdrSource"/>: the rollup-aware source when
    /// <see cref="RollupOptions.Enabled"/>, else the raw one. Nothing touches the service database unless enabled or asked.
    /// </summary>
    public static IServiceCollection AddRollups(this IServiceCollection services)
    {
        services.AddSettings<RollupOptions>(RollupOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RollupOptions>, RollupOptionsValidator>());
        services.TryAddSingleton<RollupStore>();
        services.TryAddSingleton<RollupRefresher>();
        services.TryAddSingleton<RollupReconciler>();
        services.TryAddSingleton(sp => (ICdrSlotSource)sp.GetRequiredKeyedService<ICdrSource>(RawSource));
        services.TryAddSingleton<ICdrSource>(sp =>
        {
            var raw = sp.GetRequiredKeyedService<ICdrSource>(RawSource);
            return sp.GetRequiredService<IOptions<RollupOptions>>().Value.Enabled && raw is ICdrSlotSource slots
                ? new RollupCdrSource(raw, slots, sp.GetRequiredService<RollupStore>())
                : raw;
        });
        return services;
    }
}
