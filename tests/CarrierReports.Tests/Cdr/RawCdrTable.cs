using Microsoft.Data.Sqlite;
using Npgsql;

namespace CarrierReports.Tests.Cdr;

/// <summary>
/// CDR tables whose rows are given as SQL literals, for hostile values (NULLs, blobs, text in number columns) that the
/// typed builder <see cref="Support.CdrTable"/> cannot express.
/// </summary>
internal static class RawCdrTable
{
    public const string Columns = "start_time, carrier_id, provider_card_id, duration, disposition";

    /// <summary>Creates <c>cdr</c> with untyped-enough columns for hostile values and inserts each row's SQL values.</summary>
    public static async Task<string> SqliteAsync(string path, IEnumerable<string> valueTuples, string carrierType = "TEXT")
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"CREATE TABLE cdr (start_time, carrier_id {carrierType}, provider_card_id TEXT, duration INTEGER, disposition TEXT);"
            + string.Concat(valueTuples.Select(v => $"INSERT INTO cdr ({Columns}) VALUES ({v});"));
        await cmd.ExecuteNonQueryAsync();
        return cs;
    }

    public static async Task PostgresAsync(string connectionString, IEnumerable<string> valueTuples, string table = "cdr")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"CREATE TABLE {table} (start_time timestamptz, carrier_id text, provider_card_id text, duration bigint, disposition text);"
            + string.Concat(valueTuples.Select(v => $"INSERT INTO {table} ({Columns}) VALUES ({v});")), connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
