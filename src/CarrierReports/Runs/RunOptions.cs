using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>How a run claims its period and proves it is alive. Bound from the <c>Scheduling</c> section, where these settings have always been.</summary>
public sealed class RunOptions
{
    public const string Section = "Scheduling";

    /// <summary>This node's name in the run ledger. Default: host name and process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>Attempts of one run before it is final-failed and the operations address is told. Default 3.</summary>
    [SettingRange(1, 100)]
    public int MaxRunAttempts { get; set; } = 3;

    /// <summary>A running run whose node has not updated it for this long is marked failed (stale) and retried. Default 10 minutes.</summary>
    public TimeSpan StaleRunAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a running run records that it is alive. Default 30 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Render once, send many: for this long after a node rendered a report, its runs of subscriptions that ask for
    /// the same report (<see cref="SharedReportKey"/>) reuse those files instead of querying and rendering again.
    /// Default 5 minutes; zero turns sharing off.
    /// </summary>
    public TimeSpan ShareReportsFor { get; set; } = TimeSpan.FromMinutes(5);

    public string ResolveNodeName() => NodeName is { Length: > 0 } n ? n : $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>The run settings' cross-field rule (ranges are attributes on <see cref="RunOptions"/>).</summary>
public sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    public ValidateOptionsResult Validate(string? name, RunOptions o)
    {
        const string s = RunOptions.Section + ":";
        var errors = new SettingErrors();
        if (o.HeartbeatInterval <= TimeSpan.Zero || o.StaleRunAfter <= o.HeartbeatInterval * 2)
        {
            errors.Add($"{s}StaleRunAfter: {o.StaleRunAfter} must be more than twice HeartbeatInterval ({o.HeartbeatInterval})");
        }

        if (o.ShareReportsFor < TimeSpan.Zero || o.ShareReportsFor > TimeSpan.FromDays(1))
        {
            errors.Add($"{s}ShareReportsFor: {o.ShareReportsFor} is outside 00:00:00..1.00:00:00 (zero turns sharing off)");
        }

        return errors.Result();
    }
}
