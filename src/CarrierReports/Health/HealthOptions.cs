namespace CarrierReports.Health;

/// <summary>What <c>health</c> (and <c>/health/details</c> of the web host) counts as unhealthy. Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>A subscription is overdue when its latest fire time (plus settle delay) passed this long ago without a ledger row. Default 15 minutes.</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A final failure (all attempts used, period not delivered since) counts while it is younger than this. Default 24 hours.</summary>
    public TimeSpan FailedWithin { get; set; } = TimeSpan.FromHours(24);
}
