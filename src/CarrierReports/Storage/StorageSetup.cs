using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddServiceDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<ServiceDatabase>();
        services.AddSingleton<SubscriptionTable>();
        services.AddSingleton<DeliveryTable>();
        services.AddSingleton<QuartzTables>();
        return services;
    }
}

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{DatabaseOptions.Section}:Provider: '{options.Provider}' is not a provider; use Sqlite or Postgres");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{DatabaseOptions.Section}:ConnectionString: is empty");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
