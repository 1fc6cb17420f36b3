namespace CarrierReports.Health;

/// <summary>A Quartz cluster member as recorded in <c>qrtz_scheduler_state</c>.</summary>
public sealed record ClusterMember(string Name, DateTimeOffset LastCheckIn, TimeSpan CheckInInterval, bool Alive);
