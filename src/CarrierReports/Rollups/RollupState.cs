namespace CarrierReports.Rollups;

/// <summary>The stored progress: rollups are complete for slots before <paramref name="Watermark"/> (as of <paramref name="RefreshedAt"/>).</summary>
public sealed record RollupState(DateTimeOffset Watermark, string Fingerprint, DateTimeOffset RefreshedAt, Reconciliation? LastReconciliation);

/// <summary>A reconciliation run: the UTC days compared and how many (carrier, day) pairs differed and were summed again.</summary>
public sealed record Reconciliation(DateTimeOffset At, DateTimeOffset From, DateTimeOffset To, int DaysRepaired);

/// <summary>Sums of the rollups for one report part: rows per (bucket, route), negative and unlisted rows.</summary>
public sealed record RollupSums(IReadOnlyList<Cdr.PartialSum> Rows, long NegativeRows, long UnlistedRows, int Routes);
