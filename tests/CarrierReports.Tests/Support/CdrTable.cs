using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CarrierReports.Tests.Support;

/// <summary>One synthetic CDR as the tests write it into either database.</summary>
public sealed record TestCdr(DateTimeOffset Start, long Carrier, string? Route, int Duration, int SipCode);

/// <summary>
/// The one builder of CDR tables, for the tests and the benchmarks (linked source): a table in the shape the product
/// reads, with the column names of <c>CdrSource:Columns</c> (renamed, as a customer's switch would, where a test needs
/// it), created in PostgreSQL or SQLite and filled with <see cref="TestCdr"/> rows.
/// </summary>
public sealed record CdrTable(string Name = "cdr")
{
    /// <summary>The product's default names and types, with an id.</summary>
    public static CdrTable Default { get; } = new();

    public string StartTime { get; init; } = "start_time";
    public string Carrier { get; init; } = "carrier_id";
    public string Route { get; init; } = "provider_card_id";
    public string Duration { get; init; } = "duration";
    public string SipCode { get; init; } = "sip_code";

    /// <summary><c>bigint</c>, or <c>text</c> for a switch that keeps customer ids as text.</summary>
    public string CarrierType { get; init; } = "bigint";

    /// <summary><c>text</c>, or <c>integer</c> for a switch that numbers its rate cards.</summary>
    public string RouteType { get; init; } = "text";

    public string SipCodeType { get; init; } = "integer";

    /// <summary>The id column's definition (first in the table), or null for a table without one.</summary>
    public string? Id { get; init; } = "id bigserial PRIMARY KEY";

    /// <summary>Definitions of columns after the five the product reads, which it must ignore.</summary>
    public IReadOnlyList<string> OtherColumns { get; init; } = [];

    /// <summary>The PostgreSQL <c>CREATE TABLE</c> statement.</summary>
    public string CreatePostgres()
    {
        string[] read =
        [
            $"{StartTime} timestamptz NOT NULL", $"{Carrier} {CarrierType} NOT NULL", $"{Route} {RouteType}",
            $"{Duration} integer NOT NULL", $"{SipCode} {SipCodeType} NOT NULL",
        ];
        return $"CREATE TABLE {Name} ({string.Join(", ", (Id is null ? read : [Id, .. read]).Concat(OtherColumns))})";
    }

    /// <summary>The SQLite <c>CREATE TABLE</c>; the start time has no type, so text and Unix seconds both stay as written.</summary>
    public string CreateSqlite() =>
        $"CREATE TABLE {Name} (id INTEGER PRIMARY KEY, {StartTime}, {Carrier} INTEGER NOT NULL, {Route} TEXT, {Duration} INTEGER NOT NULL, {SipCode} INTEGER NOT NULL)";

    /// <summary>Creates the table in PostgreSQL, copies the rows in and analyzes it.</summary>
    public async Task LoadPostgresAsync(string connectionString, IReadOnlyList<TestCdr> rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(CreatePostgres(), connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {Name} ({StartTime}, {Carrier}, {Route}, {Duration}, {SipCode}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(r.Start.UtcDateTime, NpgsqlDbType.TimestampTz);
                if (CarrierType == "text")
                {
                    await importer.WriteAsync(r.Carrier.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                }
                else
                {
                    await importer.WriteAsync(r.Carrier, NpgsqlDbType.Bigint);
                }

                if (r.Route is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(r.Route, NpgsqlDbType.Text);
                }

                await importer.WriteAsync(r.Duration, NpgsqlDbType.Integer);
                await importer.WriteAsync(r.SipCode, NpgsqlDbType.Integer);
            }

            await importer.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand($"ANALYZE {Name}", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Writes the rows into an SQLite file and returns its connection string; start times alternate between ISO-8601
    /// text (with an offset, in a non-UTC zone) and Unix seconds so both accepted encodings are exercised.
    /// </summary>
    public async Task<string> LoadSqliteAsync(string path, IReadOnlyList<TestCdr> rows)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = CreateSqlite();
            await create.ExecuteNonQueryAsync();
        }

        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {Name} ({StartTime}, {Carrier}, {Route}, {Duration}, {SipCode}) VALUES ($s, $c, $r, $d, $q)";
        var ps = new[] { "$s", "$c", "$r", "$d", "$q" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        var i = 0;
        foreach (var r in rows)
        {
            // SQLite keeps whole seconds for both encodings; the product truncates ISO text to the second too.
            ps[0].Value = i++ % 2 == 0
                ? r.Start.ToUnixTimeSeconds()
                : r.Start.ToOffset(TimeSpan.FromHours(-3)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            ps[1].Value = r.Carrier;
            ps[2].Value = (object?)r.Route ?? DBNull.Value;
            ps[3].Value = r.Duration;
            ps[4].Value = r.SipCode;
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        return cs;
    }
}
