using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CarrierReports.Cdr;

/// <summary>Aggregates CDRs in an SQLite file: the embedded default.</summary>
/// <remarks>
/// SQLite has no <c>width_bucket</c>, so the bucket of a row is found by a small function registered on the connection
/// (a binary search over the bucket starts); the grouping and summing still happen inside SQLite, and only one row per
/// (bucket, route) comes back. The start column may hold Unix seconds (integer or real) or ISO-8601 text; text without
/// an offset is read as UTC.
/// </remarks>
public sealed partial class SqliteCdrSource(CdrSourceOptions options) : ICdrSource
{
    private CdrMapping? _mapping;

    public string AnsweredRule => _mapping?.AnsweredRule ?? "(mapping not checked yet)";

    public async Task<CdrMapping> GetMappingAsync(CancellationToken cancellationToken)
    {
        if (_mapping is { } known)
        {
            return known;
        }

        await using var connection = await OpenAsync(cancellationToken);
        return _mapping = await LoadMappingAsync(connection, cancellationToken);
    }

    private async Task<CdrMapping> LoadMappingAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        const string field = CdrSourceOptions.Section + ":Table";
        var (schema, table) = SqlIdentifier.SplitTable(options.Table, field);
        var columns = new List<MappedColumn>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, type FROM pragma_table_info($table, $schema)";
            cmd.Parameters.AddWithValue("$table", table);
            cmd.Parameters.AddWithValue("$schema", schema ?? "main");
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new MappedColumn(reader.GetString(0), KindOf(reader.IsDBNull(1) ? "" : reader.GetString(1))));
            }
        }

        if (columns.Count == 0)
        {
            throw new InputException(field, $"table or view '{options.Table}' does not exist in {connection.DataSource}");
        }

        var tableSql = schema is null ? SqlIdentifier.Quote(table) : SqlIdentifier.Quote(schema) + "." + SqlIdentifier.Quote(table);
        return CdrMapping.Resolve(options, tableSql, options.Table, columns);
    }

    /// <summary>SQLite's type-affinity rules, reduced to what the SQL needs to know.</summary>
    private static ColumnKind KindOf(string declared)
    {
        var t = declared.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal) || t.Contains("REAL", StringComparison.Ordinal) ||
            t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal) ||
            t.Contains("NUM", StringComparison.Ordinal) || t.Contains("DEC", StringComparison.Ordinal))
        {
            return ColumnKind.Number;
        }

        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal))
        {
            return ColumnKind.Text;
        }

        return t.Contains("BOOL", StringComparison.Ordinal) ? ColumnKind.Boolean : ColumnKind.Unknown;
    }

    private static double EpochSeconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        const string field = CdrSourceOptions.Section + ":ConnectionString";
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InputException(field, $"is not a valid SQLite connection string: {ex.Message}");
        }

        if (csb.Mode != SqliteOpenMode.Memory && !csb.DataSource.StartsWith(':') && !File.Exists(csb.DataSource))
        {
            throw new InputException(field, $"SQLite file '{csb.DataSource}' does not exist (run the 'demo' command to create the sample store, or point {field} at your CDR file)");
        }

        var connection = new SqliteConnection(csb.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Opening does not read the file; this does, so a file that is not a database fails here, naming the setting.
            await using (var probe = connection.CreateCommand())
            {
                probe.CommandText = "PRAGMA schema_version";
                await probe.ExecuteScalarAsync(cancellationToken);
            }

            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new InputException(field, $"cannot open SQLite file '{csb.DataSource}': {ex.Message}", ex);
        }
    }
}
