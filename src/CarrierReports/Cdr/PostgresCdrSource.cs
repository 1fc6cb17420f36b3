using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace CarrierReports.Cdr;

/// <summary>Aggregates CDRs in PostgreSQL.</summary>
/// <remarks>
/// Rows are binned with <c>width_bucket(start, bucket_starts[])</c>: the bucket boundaries are exact instants computed
/// in .NET from the zone rules, so the database does a binary search over a few timestamps per row instead of a time-zone
/// conversion and <c>date_trunc</c>. That keeps the aggregation close to the cost of scanning the rows (see README,
/// Benchmarks) and is exact for any zone, including fractional offsets and DST days.
/// </remarks>
public sealed partial class PostgresCdrSource : ICdrSource, IAsyncDisposable
{
    private readonly CdrSourceOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _mappingLock = new(1, 1);
    private CdrMapping? _mapping;

    public PostgresCdrSource(CdrSourceOptions options)
    {
        _options = options;
        NpgsqlConnectionStringBuilder csb;
        try
        {
            csb = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InputException(CdrSourceOptions.Section + ":ConnectionString", $"is not a valid PostgreSQL connection string: {ex.Message}");
        }

        // A 'timestamp without time zone' start column is read as UTC, whatever the server's default.
        csb.Timezone = "UTC";
        // No type loading: every value read or sent here is a built-in type (routes and carriers are cast to text), so
        // the catalog query Npgsql runs on the first connection of a process (tens of ms, before the first statement
        // of a one-shot report) buys nothing.
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        _dataSource = builder.Build();
    }

    public string AnsweredRule => _mapping?.AnsweredRule ?? "(mapping not checked yet)";

    public async Task<CdrMapping> GetMappingAsync(CancellationToken cancellationToken)
    {
        if (_mapping is { } known)
        {
            return known;
        }

        await _mappingLock.WaitAsync(cancellationToken);
        try
        {
            return _mapping ??= await LoadMappingAsync(cancellationToken);
        }
        finally
        {
            _mappingLock.Release();
        }
    }

    private async Task<CdrMapping> LoadMappingAsync(CancellationToken cancellationToken)
    {
        const string field = CdrSourceOptions.Section + ":Table";
        var (schema, table) = SqlIdentifier.SplitTable(_options.Table, field);
        string Qualified(Func<string, string> f) =>
            schema is null ? SqlIdentifier.Quote(f(table)) : SqlIdentifier.Quote(f(schema)) + "." + SqlIdentifier.Quote(f(table));

        await using var connection = await OpenAsync(cancellationToken);
        string? relation = null;
        foreach (var candidate in new[] { Qualified(x => x), Qualified(x => x.ToLowerInvariant()) })
        {
            await using var find = new NpgsqlCommand("SELECT to_regclass($1)::text", connection) { Parameters = { new() { Value = candidate } } };
            if (await find.ExecuteScalarAsync(cancellationToken) is string found)
            {
                relation = found;
                break;
            }
        }

        if (relation is null)
        {
            throw new InputException(field, $"table or view '{_options.Table}' does not exist in database '{connection.Database}'");
        }

        const string catalogSql = """
            SELECT a.attname, t.typcategory::text, a.attnotnull
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """;
        var columns = new List<MappedColumn>();
        await using (var cmd = new NpgsqlCommand(catalogSql, connection) { Parameters = { new() { Value = relation } } })
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var kind = reader.GetString(1) switch
                {
                    "D" => ColumnKind.Time,
                    "N" => ColumnKind.Number,
                    "S" => ColumnKind.Text,
                    "B" => ColumnKind.Boolean,
                    _ => ColumnKind.Unknown,
                };
                columns.Add(new MappedColumn(reader.GetString(0), kind) { NotNull = reader.GetBoolean(2) });
            }
        }

        var mapping = CdrMapping.Resolve(_options, relation, relation, columns);
        if (mapping.StartTime.Kind != ColumnKind.Time)
        {
            throw new InputException(CdrSourceOptions.Section + ":Columns:StartTime", $"column '{mapping.StartTime.Name}' in {relation} must be timestamptz (or timestamp, read as UTC) in PostgreSQL");
        }

        return mapping;
    }

    private static object CarrierValue(string carrier, MappedColumn column)
    {
        if (column.Kind != ColumnKind.Number)
        {
            return carrier;
        }

        return long.TryParse(carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InputException("carrier", $"'{carrier}' is not a whole number, but the carrier column '{column.Name}' is numeric");
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (ex.InnerException is SocketException or TimeoutException || ex is PostgresException { SqlState: "28P01" or "28000" or "3D000" })
        {
            var csb = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            throw new InputException(CdrSourceOptions.Section + ":ConnectionString", $"cannot connect to PostgreSQL at {csb.Host}:{csb.Port} (database '{csb.Database}'): {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _mappingLock.Dispose();
    }
}
