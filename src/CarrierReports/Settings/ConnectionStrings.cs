using System.Data.Common;
namespace CarrierReports.Settings;

/// <summary>Catches a connection string written for the other provider before the driver rejects it with a bare keyword error.</summary>
public static class ConnectionStrings
{
    /// <param name="isSqlite">The section's provider is SQLite (the default).</param>
    /// <param name="section">The settings section, e.g. <c>CdrSource</c> or <c>Database</c>.</param>
    public static void Check(bool isSqlite, string? connectionString, string section, SettingErrors errors)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{section}:ConnectionString: is not a connection string ({ex.Message})");
            return;
        }

        // "Host" (or "Server") only means something to PostgreSQL; SQLite knows "Data Source" and its own few keys.
        var postgresKey = new[] { "Host", "Server", "Username", "User ID" }.FirstOrDefault(builder.ContainsKey);
        if (isSqlite && postgresKey is not null)
        {
            errors.Add($"{section}:ConnectionString: sets '{postgresKey}', a PostgreSQL connection string, but {section}:Provider is Sqlite (the default); set {section}:Provider to Postgres (environment variable {section}__Provider=Postgres)");
        }
    }
}
