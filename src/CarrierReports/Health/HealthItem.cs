namespace CarrierReports.Health;

/// <summary>One line of the health report; <see cref="Problem"/> lines make the service unhealthy.</summary>
public sealed record HealthItem(string Check, string Detail, bool Problem);
