namespace CarrierReports.Storage;

/// <summary>
/// Instants in the service database are UTC: <c>timestamptz</c> on PostgreSQL, ISO text on SQLite. Both come back as a
/// <see cref="DateTime"/> whose kind may be unspecified; this reads them as the UTC instants they are.
/// </summary>
public static class Instants
{
    public static DateTimeOffset FromDb(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? FromDb(DateTime? value) => value is { } v ? FromDb(v) : null;
}
