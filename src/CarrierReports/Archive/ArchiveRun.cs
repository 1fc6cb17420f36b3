namespace CarrierReports.Archive;

/// <summary>The parameters of the run whose files are archived; written into the entry's manifest for auditors.</summary>
/// <param name="Range">The range expression as configured (e.g. <c>previous-month</c>).</param>
/// <param name="TimeZone">IANA zone the period is read in; it fixes the local dates in the entry's folder name.</param>
/// <param name="UtcFrom">Start of the period, included.</param>
/// <param name="UtcTo">End of the period, excluded.</param>
/// <param name="Bucket">hour, day or month.</param>
/// <param name="Formats">The formats rendered, e.g. <c>["pdf", "xlsx", "csv"]</c>.</param>
public sealed record ArchiveRun(
    string RunId,
    string Subscription,
    string Carrier,
    string Range,
    string TimeZone,
    DateTimeOffset UtcFrom,
    DateTimeOffset UtcTo,
    string Bucket,
    IReadOnlyList<string> Formats,
    DateTimeOffset GeneratedAt);
