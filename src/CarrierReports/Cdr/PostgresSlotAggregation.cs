using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;

namespace CarrierReports.Cdr;

/// <summary>The rollups' queries on PostgreSQL: the same answered rule and duration handling as the report query.</summary>
public sealed partial class PostgresCdrSource : ICdrSlotSource
{
    public async Task<string> FingerprintAsync(CancellationToken cancellationToken) =>
        Fingerprint("postgres", await GetMappingAsync(cancellationToken), _options);

    internal static string Fingerprint(string provider, CdrMapping m, CdrSourceOptions o) => string.Join("|",
        provider, m.TableSql, m.StartTime.Name, m.Carrier.Name, m.Route.Name, m.Duration.Name, m.Answered?.Name, m.SipCode?.Name, m.AnsweredRule,
        string.Join(";", o.AnsweredValues), string.Join(";", o.NotAnsweredValues));

    public async Task<IReadOnlyList<string>?> CarrierKeysAsync(string carrier, CancellationToken cancellationToken)
    {
        var m = await GetMappingAsync(cancellationToken);
        return m.Carrier.Kind switch
        {
            ColumnKind.Text => [carrier],
            // The report compares the numeric column with the parsed id, so "007" and "7" are the same carrier.
            ColumnKind.Number when long.TryParse(carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) => [id.ToString(CultureInfo.InvariantCulture)],
            _ => null,
        };
    }

    public async IAsyncEnumerable<SlotSum> SlotSumsAsync(DateTimeOffset from, DateTimeOffset to, string? carrier, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var m = await GetMappingAsync(cancellationToken);
        var d = C(m.Duration);
        var ans = AnsweredSql(m);
        var s = C(m.StartTime);
        // The slot comes from date_part (double precision) rather than extract (numeric since PostgreSQL 14), which was
        // the costliest expression per row; a double holds microsecond epochs exactly enough for floor() to put a row
        // just before a slot edge in the earlier slot. The route is grouped by its value, as the report query groups it,
        // not by its text: cheaper to sort and hash, and two spellings of one numeric route stay one route there too.
        var sql = $"""
            SELECT {C(m.Carrier)}::text, {C(m.Route)}::text, (floor(date_part('epoch', {s}) / {Slots.Seconds}) * {Slots.Seconds})::bigint AS slot,
                   count(*), count(*) FILTER (WHERE {ans}), coalesce(sum({d}) FILTER (WHERE {ans}), 0),
                   count(*) FILTER (WHERE {d} < 0), count(*) FILTER (WHERE {Outside(m)}), coalesce(sum({d}), 0)
            FROM {m.TableSql} AS c
            WHERE {s} >= $1 AND {s} < $2 AND {C(m.Carrier)} IS NOT NULL{(carrier is null ? "" : $" AND {C(m.Carrier)} = $3")}
            GROUP BY 1, {C(m.Route)}, 3
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = RangeCommand(connection, sql, from, to, carrier is null ? null : CarrierValue(carrier, m.Carrier));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new SlotSum(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                Number(reader.GetValue(5)), reader.GetInt64(6), reader.GetInt64(7), Number(reader.GetValue(8)));
        }
    }

    public async IAsyncEnumerable<DaySum> DaySumsAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var m = await GetMappingAsync(cancellationToken);
        var s = C(m.StartTime);
        var sql = $"""
            SELECT {C(m.Carrier)}::text, floor(extract(epoch FROM {s}) / 86400)::bigint, count(*), coalesce(sum({C(m.Duration)}), 0)
            FROM {m.TableSql} AS c
            WHERE {s} >= $1 AND {s} < $2 AND {C(m.Carrier)} IS NOT NULL
            GROUP BY 1, 2
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = RangeCommand(connection, sql, from, to, null);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new DaySum(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), Number(reader.GetValue(3)));
        }
    }

    public async Task<DateTimeOffset?> EarliestStartAsync(CancellationToken cancellationToken)
    {
        var m = await GetMappingAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"SELECT min({C(m.StartTime)})::timestamptz FROM {m.TableSql} AS c", connection) { CommandTimeout = _options.CommandTimeoutSeconds };
        return await cmd.ExecuteScalarAsync(cancellationToken) is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    private NpgsqlCommand RangeCommand(NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset to, object? carrier)
    {
        var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = _options.CommandTimeoutSeconds };
        cmd.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        if (carrier is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = carrier });
        }

        return cmd;
    }

    private static decimal Number(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);
}
