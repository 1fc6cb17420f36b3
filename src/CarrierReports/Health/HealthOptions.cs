namespace CarrierReports.Health;

/// <summary>What <c>health</c> (and the optional HTTP endpoint of <c>serve</c>) counts as unhealthy. Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>A subscription is overdue when its latest fire time (plus settle delay) passed this long ago without a ledger row. Default 15 minutes.</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A final failure (all attempts used, period not delivered since) counts while it is younger than this. Default 24 hours.</summary>
    public TimeSpan FailedWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When set (e.g. <c>http://127.0.0.1:8081/</c>), <c>serve</c> answers <c>GET /health</c> there: 200 healthy, 503 unhealthy.</summary>
    public string? Url { get; set; }
}
