using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CarrierReports.Cdr;

/// <summary>The rollups' queries on SQLite, over the same row view (<c>Rows</c>) as the report query.</summary>
public sealed partial class SqliteCdrSource : ICdrSlotSource
{
    public async Task<string> FingerprintAsync(CancellationToken cancellationToken) =>
        PostgresCdrSource.Fingerprint("sqlite", await GetMappingAsync(cancellationToken), options);

    public Task<IReadOnlyList<string>?> CarrierKeysAsync(string carrier, CancellationToken cancellationToken)
    {
        // The report matches the text as given and, for a whole number, the number too (which SQLite compares with a
        // numeric column's value, whose text is the number's canonical spelling).
        IReadOnlyList<string> keys = long.TryParse(carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? new[] { carrier, id.ToString(CultureInfo.InvariantCulture) }.Distinct(StringComparer.Ordinal).ToList()
            : [carrier];
        return Task.FromResult<IReadOnlyList<string>?>(keys);
    }

    public async IAsyncEnumerable<SlotSum> SlotSumsAsync(DateTimeOffset from, DateTimeOffset to, string? carrier, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var m = _mapping ??= await LoadMappingAsync(connection, cancellationToken);
        connection.CreateFunction("cr_slot", (double e) => (long)Math.Floor(e / Slots.Seconds) * Slots.Seconds, isDeterministic: true);
        var where = carrier is null ? "1 = 1" : CarrierCondition(m, carrier);
        await using var cmd = RangeCommand(connection, from, to, carrier, $"""
            SELECT k, CAST(r AS TEXT), cr_slot(e), count(*), coalesce(sum(ans), 0), coalesce(sum(CASE WHEN ans THEN d ELSE 0 END), 0),
                   coalesce(sum(d < 0), 0), coalesce(sum(outside), 0), coalesce(sum(d), 0)
            FROM ({Rows(m, where)})
            WHERE e >= $from AND e < $to AND k IS NOT NULL
            GROUP BY k, r, 3
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new SlotSum(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                Number(reader.GetValue(5)), reader.GetInt64(6), reader.GetInt64(7), Number(reader.GetValue(8)));
        }
    }

    public async IAsyncEnumerable<DaySum> DaySumsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var m = _mapping ??= await LoadMappingAsync(connection, cancellationToken);
        connection.CreateFunction("cr_day", (double e) => (long)Math.Floor(e / 86_400), isDeterministic: true);
        await using var cmd = RangeCommand(connection, from, to, null, $"""
            SELECT k, cr_day(e), count(*), coalesce(sum(d), 0)
            FROM ({Rows(m, "1 = 1")})
            WHERE e >= $from AND e < $to AND k IS NOT NULL
            GROUP BY k, 2
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new DaySum(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), Number(reader.GetValue(3)));
        }
    }

    public async Task<DateTimeOffset?> EarliestStartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var m = _mapping ??= await LoadMappingAsync(connection, cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = options.CommandTimeoutSeconds;
        cmd.CommandText = $"SELECT min(e) FROM ({Rows(m, "1 = 1")})";
        return await cmd.ExecuteScalarAsync(cancellationToken) is { } v and not DBNull
            ? DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(Convert.ToDouble(v, CultureInfo.InvariantCulture)))
            : null;
    }

    private SqliteCommand RangeCommand(SqliteConnection connection, DateTimeOffset from, DateTimeOffset to, string? carrier, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandTimeout = options.CommandTimeoutSeconds;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$from", EpochSeconds(from));
        cmd.Parameters.AddWithValue("$to", EpochSeconds(to));
        if (carrier is not null)
        {
            cmd.Parameters.AddWithValue("$carrier", carrier);
            if (long.TryParse(carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                cmd.Parameters.AddWithValue("$carrier_id", id);
            }
        }

        return cmd;
    }

    private static decimal Number(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);
}
