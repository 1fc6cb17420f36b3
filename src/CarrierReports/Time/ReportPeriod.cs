namespace CarrierReports.Time;

/// <summary>The exact half-open interval [UtcFrom, UtcTo) a report covers, and the zone it is read in.</summary>
/// <param name="Expression">What the user asked for (e.g. <c>previous-month</c>), kept for the report header.</param>
public sealed record ReportPeriod(string Expression, TimeZoneInfo Zone, DateTimeOffset UtcFrom, DateTimeOffset UtcTo)
{
    public string ZoneId => Zone.Id;
    public DateTimeOffset LocalFrom => Zone.ToLocal(UtcFrom);
    public DateTimeOffset LocalTo => Zone.ToLocal(UtcTo);
    public TimeSpan Length => UtcTo - UtcFrom;

    /// <summary>The period of equal length just before this one, for "change against the previous period".</summary>
    public ReportPeriod Previous() => this with { Expression = $"previous period of {Expression}", UtcFrom = UtcFrom - Length, UtcTo = UtcFrom };
}
