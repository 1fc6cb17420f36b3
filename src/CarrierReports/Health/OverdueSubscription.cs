namespace CarrierReports.Health;

/// <summary>A subscription whose latest due fire time has no run in the ledger.</summary>
public sealed record OverdueSubscription(string SubscriptionId, DateTimeOffset FireTime, DateTimeOffset DueBy, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo);
