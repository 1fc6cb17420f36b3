using CarrierReports.Cdr;
using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Storage;

/// <summary>The service database settings' cross-field rules (the connection string is required by an attribute).</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var errors = new SettingErrors();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{DatabaseOptions.Section}:Provider: '{options.Provider}' is not a provider; use Sqlite or Postgres");
        }

        ConnectionStrings.Check(options.Provider == CdrProvider.Sqlite, options.ConnectionString, DatabaseOptions.Section, errors);
        return errors.Result();
    }
}
