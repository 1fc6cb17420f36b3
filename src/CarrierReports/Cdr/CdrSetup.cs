using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Cdr;

public static class CdrSetup
{
    /// <summary>Registers the configured <see cref="ICdrSource"/>; its options are validated when first used and at host start.</summary>
    public static IServiceCollection AddCdrSource(this IServiceCollection services)
    {
        services.AddOptions<CdrSourceOptions>().BindConfiguration(CdrSourceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdrSourceOptions>, CdrSourceOptionsValidator>();
        services.AddSingleton<IValidateOptions<CdrSourceOptions>, AnswerValuesValidator>();
        services.AddSingleton<ICdrSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CdrSourceOptions>>().Value;
            return options.Provider switch
            {
                CdrProvider.Postgres => new PostgresCdrSource(options),
                _ => new SqliteCdrSource(options),
            };
        });
        return services;
    }
}

/// <summary>Checks the CDR settings before anything connects; each failure names its setting.</summary>
public sealed class CdrSourceOptionsValidator : IValidateOptions<CdrSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, CdrSourceOptions options)
    {
        const string s = CdrSourceOptions.Section + ":";
        var errors = new List<string>();
        void Check(Action check)
        {
            try
            {
                check();
            }
            catch (InputException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{s}Provider: '{options.Provider}' is not a provider; use Sqlite or Postgres");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{s}ConnectionString: is empty");
        }

        if (options.CommandTimeoutSeconds is < 1 or > 86_400)
        {
            errors.Add($"{s}CommandTimeoutSeconds: {options.CommandTimeoutSeconds} is outside 1..86400");
        }

        Check(() => SqlIdentifier.SplitTable(options.Table, s + "Table"));
        var c = options.Columns;
        Check(() => SqlIdentifier.Validate(c.StartTime, s + "Columns:StartTime"));
        Check(() => SqlIdentifier.Validate(c.Carrier, s + "Columns:Carrier"));
        Check(() => SqlIdentifier.Validate(c.Route, s + "Columns:Route"));
        Check(() => SqlIdentifier.Validate(c.Duration, s + "Columns:Duration"));
        if (!string.IsNullOrEmpty(c.Answered))
        {
            Check(() => SqlIdentifier.Validate(c.Answered, s + "Columns:Answered"));
        }

        if (!string.IsNullOrEmpty(c.SipCode))
        {
            Check(() => SqlIdentifier.Validate(c.SipCode, s + "Columns:SipCode"));
        }

        if (!string.IsNullOrEmpty(c.Answered) && !string.IsNullOrEmpty(c.SipCode))
        {
            errors.Add($"{s}Columns:SipCode: set only one of Columns:Answered and Columns:SipCode");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
