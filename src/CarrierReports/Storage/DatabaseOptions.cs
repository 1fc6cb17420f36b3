using System.ComponentModel.DataAnnotations;
using CarrierReports.Settings;
using Microsoft.Data.Sqlite;

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
    [Required(ErrorMessage = "is empty")]
    public string ConnectionString { get; set; } = "Data Source=data/carrierreports.db";

    /// <summary>The SQLite file, or null for PostgreSQL or an in-memory database.</summary>
    public string? SqliteFile() =>
        Provider == Cdr.CdrProvider.Sqlite && new SqliteConnectionStringBuilder(ConnectionString) is { DataSource: { Length: > 0 } file, Mode: not SqliteOpenMode.Memory }
        && file != ":memory:" ? Path.GetFullPath(file) : null;

    /// <summary>True when the database is a SQLite file that does not exist yet (a read-only command then has nothing to read).</summary>
    public bool IsMissingSqliteFile() => SqliteFile() is { } file && !File.Exists(file);

    /// <summary>Where the database is, for a person, without credentials: "SQLite /srv/data/carrierreports.db" or "PostgreSQL db1:5432/reports".</summary>
    public string Describe()
    {
        if (Provider != Cdr.CdrProvider.Postgres)
        {
            return SqliteFile() is { } file ? $"SQLite {file}{(File.Exists(file) ? "" : " (does not exist)")}" : "SQLite in memory";
        }

        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }
}
