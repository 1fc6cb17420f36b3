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
public sealed class SqliteCdrSource(CdrSourceOptions options) : ICdrSource
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

    public async Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var m = _mapping ??= await LoadMappingAsync(connection, cancellationToken);

        var starts = query.BucketStarts.Select(EpochSeconds).ToArray();
        connection.CreateFunction("cr_bucket", (double epoch) =>
        {
            var i = Array.BinarySearch(starts, epoch);
            return i >= 0 ? i : ~i - 1;
        }, isDeterministic: true);

        var s = m.StartTime.Sql;
        var d = m.Duration.Sql;
        var answered = m switch
        {
            { SipCode: { } sip } => $"CAST({sip.Sql} AS INTEGER) = 200",
            { Answered: { } flag } => $"CASE typeof({flag.Sql}) WHEN 'integer' THEN {flag.Sql} <> 0 WHEN 'real' THEN {flag.Sql} <> 0 WHEN 'text' THEN lower(trim({flag.Sql})) IN ('1', 't', 'true', 'y', 'yes') ELSE 0 END",
            _ => $"{d} > 0",
        };
        var ans = m.Answered is null && m.SipCode is null ? answered : $"({answered}) AND coalesce({d}, 0) >= 0";
        var carrierIsNumber = long.TryParse(query.Carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var carrierId);
        var carrierCondition = carrierIsNumber ? $"({m.Carrier.Sql} = $carrier OR {m.Carrier.Sql} = $carrier_id)" : $"{m.Carrier.Sql} = $carrier";

        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = options.CommandTimeoutSeconds;
        cmd.CommandText = $"""
            SELECT cr_bucket(e) AS bucket, CAST(r AS TEXT) AS route, count(*), sum(ans), sum(CASE WHEN ans THEN d ELSE 0 END), sum(d < 0)
            FROM (
                SELECT CASE typeof({s}) WHEN 'integer' THEN {s} WHEN 'real' THEN {s} WHEN 'text' THEN unixepoch({s}) END AS e,
                       {m.Route.Sql} AS r, {d} AS d, coalesce({ans}, 0) AS ans
                FROM {m.TableSql}
                WHERE {carrierCondition}
            )
            WHERE e >= $from AND e < $to
            GROUP BY 1, r
            """;
        cmd.Parameters.AddWithValue("$carrier", query.Carrier);
        if (carrierIsNumber)
        {
            cmd.Parameters.AddWithValue("$carrier_id", carrierId);
        }

        cmd.Parameters.AddWithValue("$from", EpochSeconds(query.UtcFrom));
        cmd.Parameters.AddWithValue("$to", EpochSeconds(query.UtcTo));

        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await CdrAggregate.ReadAsync(reader, cancellationToken);
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
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new InputException(field, $"cannot open SQLite file '{csb.DataSource}': {ex.Message}", ex);
        }
    }
}
