using CarrierReports.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Cdr;

public static class CdrSetup
{
    /// <summary>The service key of the CDR source that reads raw CDRs (what the rollups are built from).</summary>
    public const string RawSource = "raw";

    /// <summary>Registers the configured <see cref="ICdrSource"/>; its options are validated when first used and at host start.</summary>
    public static IServiceCollection AddCdrSource(this IServiceCollection services)
    {
        services.AddSettings<CdrSourceOptions>(CdrSourceOptions.Section);
        services.AddSingleton<IValidateOptions<CdrSourceOptions>, CdrSourceOptionsValidator>();
        services.AddSingleton<IValidateOptions<CdrSourceOptions>, AnswerValuesValidator>();
        services.AddKeyedSingleton<ICdrSource>(RawSource, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<CdrSourceOptions>>().Value;
            return options.Provider switch
            {
                CdrProvider.Postgres => new PostgresCdrSource(options),
                _ => new SqliteCdrSource(options),
            };
        });
        // The raw source; AddRollups puts the rollup-aware one in its place when Rollups:Enabled is true.
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ICdrSource>(RawSource));
        return services;
    }
}

/// <summary>
/// The CDR settings' cross-field rules, checked before anything connects (ranges and required values are attributes
/// on <see cref="CdrSourceOptions"/>); each failure names its setting.
/// </summary>
public sealed class CdrSourceOptionsValidator : IValidateOptions<CdrSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, CdrSourceOptions options)
    {
        const string s = CdrSourceOptions.Section + ":";
        var errors = new SettingErrors();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{s}Provider: '{options.Provider}' is not a provider; use Sqlite or Postgres");
        }

        ConnectionStrings.Check(options.Provider == CdrProvider.Sqlite, options.ConnectionString, CdrSourceOptions.Section, errors);
        errors.Check(() => SqlIdentifier.SplitTable(options.Table, s + "Table"));
        var c = options.Columns;
        errors.Check(() => SqlIdentifier.Validate(c.StartTime, s + "Columns:StartTime"));
        errors.Check(() => SqlIdentifier.Validate(c.Carrier, s + "Columns:Carrier"));
        errors.Check(() => SqlIdentifier.Validate(c.Route, s + "Columns:Route"));
        errors.Check(() => SqlIdentifier.Validate(c.Duration, s + "Columns:Duration"));
        if (!string.IsNullOrEmpty(c.Answered))
        {
            errors.Check(() => SqlIdentifier.Validate(c.Answered, s + "Columns:Answered"));
        }

        if (!string.IsNullOrEmpty(c.SipCode))
        {
            errors.Check(() => SqlIdentifier.Validate(c.SipCode, s + "Columns:SipCode"));
        }

        if (!string.IsNullOrEmpty(c.Answered) && !string.IsNullOrEmpty(c.SipCode))
        {
            errors.Add($"{s}Columns:SipCode: set only one of Columns:Answered and Columns:SipCode");
        }

        return errors.Result();
    }
}
