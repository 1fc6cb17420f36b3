namespace CarrierReports.Health;

/// <summary>
/// A feature that adds its own line to the health report (e.g. the rollups' lag). Health knows the contributors only
/// through this seam, so a feature can report on itself without the health feature depending on it.
/// </summary>
public interface IHealthContributor
{
    Task<HealthItem> CheckAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
