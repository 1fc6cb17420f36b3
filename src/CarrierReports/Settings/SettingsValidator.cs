using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CarrierReports.Settings;

/// <summary>
/// Checks the DataAnnotations (<c>[SettingRange]</c>, <c>[Required]</c>) of a settings class and words each failure
/// with its setting path, e.g. <c>Mail:Port: 0 is outside 1..65535</c>. The framework's
/// <c>ValidateDataAnnotations()</c> runs the same attributes but wraps each message in
/// "DataAnnotation validation failed for 'MailOptions' members ...", which hides the path a user has to set.
/// </summary>
public sealed class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
