using Microsoft.Extensions.DependencyInjection.Extensions;
using CarrierReports.Storage;
using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Subscriptions;

public static class SubscriptionsSetup
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddOptions<SubscriptionSourceOptions>().BindConfiguration(SubscriptionSourceOptions.Section);
        services.AddSettings<RecipientLimitOptions>(RecipientLimitOptions.Section);
        services.AddSingleton<SubscriptionCatalog>();
        services.AddSingleton<SubscriptionVersionSchema>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaPart, SubscriptionVersionSchema>(s => s.GetRequiredService<SubscriptionVersionSchema>()));
        services.AddSingleton<SubscriptionHistory>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<SubscriptionCarriers>();
        return services;
    }
}
