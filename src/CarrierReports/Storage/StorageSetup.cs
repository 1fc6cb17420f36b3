using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddServiceDatabase(this IServiceCollection services)
    {
        services.AddSettings<DatabaseOptions>(DatabaseOptions.Section);
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<ServiceDatabase>();
        services.AddSingleton<ISchemaPart, ServiceSchemaPart>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<SubscriptionTable>();
        services.AddSingleton<DeliveryTable>();
        services.AddSingleton<QuartzTables>();
        return services;
    }
}
