using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace CarrierReports.Settings;

/// <summary>
/// <see cref="RangeAttribute"/> whose message shows the value given, as the settings errors always have:
/// "0 is outside 1..65535" (the setting path is put in front by <see cref="SettingsValidator{TOptions}"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum) : base(minimum, maximum)
    {
    }

    /// <summary>For <see cref="long"/> and <see cref="TimeSpan"/> settings: bounds as invariant text.</summary>
    public SettingRangeAttribute(Type type, string minimum, string maximum) : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value)
            ? ValidationResult.Success
            : new ValidationResult($"{Convert.ToString(value, CultureInfo.InvariantCulture)} is outside {Text(Minimum)}..{Text(Maximum)}", [validationContext.MemberName!]);

    private static string? Text(object limit) => Convert.ToString(limit, CultureInfo.InvariantCulture);
}
