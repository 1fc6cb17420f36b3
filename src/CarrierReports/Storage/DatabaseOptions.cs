namespace CarrierReports.Storage;

/// <summary>
/// The service's own database: subscriptions saved by support staff, the run ledger, and (with PostgreSQL) Quartz's
/// job store. Not the CDR database, although it may be the same server.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default, the embedded file <c>data/carrierreports.db</c>) or <c>Postgres</c> (needed for clustering).</summary>
    public Cdr.CdrProvider Provider { get; set; } = Cdr.CdrProvider.Sqlite;

    /// <summary>Default <c>Data Source=data/carrierreports.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/carrierreports.db";
}
