using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Scheduling;

/// <summary>The scheduling settings' cross-field rules (ranges are attributes on <see cref="SchedulingOptions"/>).</summary>
public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions o)
    {
        const string s = SchedulingOptions.Section + ":";
        var errors = new SettingErrors();
        if (o.RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{s}RetryDelay: must not be negative");
        }

        if (o.SubscriptionRefreshInterval <= TimeSpan.Zero)
        {
            errors.Add($"{s}SubscriptionRefreshInterval: must be positive");
        }

        if (o.DatabaseRetryInterval <= TimeSpan.Zero)
        {
            errors.Add($"{s}DatabaseRetryInterval: must be positive");
        }

        if (o.ClusterCheckinInterval <= TimeSpan.Zero || o.ClusterCheckinMisfireThreshold <= o.ClusterCheckinInterval)
        {
            errors.Add($"{s}ClusterCheckinMisfireThreshold: {o.ClusterCheckinMisfireThreshold} must be more than ClusterCheckinInterval ({o.ClusterCheckinInterval})");
        }

        return errors.Result();
    }
}
