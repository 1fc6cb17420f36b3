using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CarrierReports.Cdr;

/// <summary>The aggregation query of <see cref="SqliteCdrSource"/> and the follow-up queries that explain odd results.</summary>
public sealed partial class SqliteCdrSource
{
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

        // Rows whose start cannot be read (e IS NULL) are in no period: they come back as bucket -1 and are only counted.
        var rows = Rows(m, query);
        CdrAggregate aggregate;
        try
        {
            await using var cmd = Command(connection, query, $"""
                SELECT CASE WHEN e IS NULL THEN {CdrAggregate.UnreadableStartBucket} ELSE cr_bucket(e) END AS bucket, CAST(r AS TEXT) AS route,
                       count(*), coalesce(sum(ans), 0), coalesce(sum(CASE WHEN ans THEN d ELSE 0 END), 0), coalesce(sum(d < 0), 0), coalesce(sum(outside), 0)
                FROM ({rows})
                WHERE e IS NULL OR (e >= $from AND e < $to)
                GROUP BY 1, r
                """);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            aggregate = await CdrAggregate.ReadAsync(reader, query.Limits, starts.Length, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("integer overflow", StringComparison.Ordinal))
        {
            // SQLite sums integers in 64 bits and stops; only impossible durations (near 2^63 seconds) get here.
            throw new InputException(CdrSourceOptions.Section + ":Columns:Duration",
                $"the sum of durations in column '{m.Duration.Name}' overflows 64 bits: the carrier has rows with impossible durations (find them with: SELECT * FROM {m.TableSql} WHERE abs({m.Duration.Sql}) > 1e12)", ex);
        }
        catch (LimitReachedException)
        {
            await using var count = Command(connection, query, $"SELECT count(DISTINCT r) + coalesce(max(r IS NULL), 0) FROM ({rows}) WHERE e >= $from AND e < $to");
            query.Limits.Check(Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture), starts.Length);
            throw new InvalidOperationException("The route count no longer exceeds the report limits; the CDR table changed during the report.");
        }

        return aggregate with { Issues = await ExplainAsync(connection, query, m, aggregate, cancellationToken) };
    }

    /// <summary>The carrier's rows with the start as epoch seconds (NULL when unreadable) and the answer decided.</summary>
    private static string Rows(CdrMapping m, CdrQuery query) => Rows(m, CarrierCondition(m, query.Carrier));

    /// <summary>The rows matching <paramref name="where"/>, as <see cref="Rows(CdrMapping, CdrQuery)"/> returns them, plus the carrier as text (k).</summary>
    private static string Rows(CdrMapping m, string where)
    {
        var s = m.StartTime.Sql;
        // A duration that is not a number (text, blob) is no duration: the call is an attempt with no answered seconds.
        var d = $"CASE typeof({m.Duration.Sql}) WHEN 'integer' THEN {m.Duration.Sql} WHEN 'real' THEN {m.Duration.Sql} END";
        var answered = m switch
        {
            { SipCode: { } sip } => $"CAST({sip.Sql} AS INTEGER) = 200",
            { Answered: { } flag, AnswerValues: { } values } => AnswerValues.InList(flag.Sql, values.Answered),
            { Answered: { } flag } => $"CASE typeof({flag.Sql}) WHEN 'integer' THEN {flag.Sql} <> 0 WHEN 'real' THEN {flag.Sql} <> 0 WHEN 'text' THEN {AnswerValues.InList(flag.Sql, AnswerValues.TextFlag.Answered)} ELSE 0 END",
            _ => $"{d} > 0",
        };
        var ans = m.Answered is null && m.SipCode is null ? answered : $"({answered}) AND coalesce({d}, 0) >= 0";
        var outside = m is { Answered: { } a, AnswerValues: { } v } ? v.OutsideSql(a.Sql) : "false";
        var answerValue = m.Answered is { } column ? column.Sql : "NULL";
        return $"""
            SELECT CASE typeof({s}) WHEN 'integer' THEN {s} WHEN 'real' THEN {s} WHEN 'text' THEN unixepoch({s}) END AS e,
                   {m.Route.Sql} AS r, {d} AS d, coalesce({ans}, 0) AS ans, {outside} AS outside, {answerValue} AS a, CAST({m.Carrier.Sql} AS TEXT) AS k
            FROM {m.TableSql}
            WHERE {where}
            """;
    }

    private static string CarrierCondition(CdrMapping m, string carrier) =>
        long.TryParse(carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"({m.Carrier.Sql} = $carrier OR {m.Carrier.Sql} = $carrier_id)"
            : $"{m.Carrier.Sql} = $carrier";

    private SqliteCommand Command(SqliteConnection connection, CdrQuery query, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandTimeout = options.CommandTimeoutSeconds;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$carrier", query.Carrier);
        if (long.TryParse(query.Carrier, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var carrierId))
        {
            cmd.Parameters.AddWithValue("$carrier_id", carrierId);
        }

        cmd.Parameters.AddWithValue("$from", EpochSeconds(query.UtcFrom));
        cmd.Parameters.AddWithValue("$to", EpochSeconds(query.UtcTo));
        return cmd;
    }

    /// <summary>Names the unlisted answer values, and for a carrier without any row, says so and finds near matches.</summary>
    private async Task<CdrDataIssues> ExplainAsync(SqliteConnection connection, CdrQuery query, CdrMapping m, CdrAggregate aggregate, CancellationToken cancellationToken)
    {
        var issues = aggregate.Issues;
        if (issues.UnlistedAnswerRows > 0)
        {
            await using var cmd = Command(connection, query,
                $"SELECT DISTINCT coalesce(CAST(a AS TEXT), '(null)') FROM ({Rows(m, query)}) WHERE e >= $from AND e < $to AND outside LIMIT {CdrDataIssues.MaxListed}");
            issues = issues with { UnlistedAnswerValues = await ReadStringsAsync(cmd, cancellationToken) };
        }

        if (aggregate.Rows.Count > 0 || issues.UnreadableStartRows > 0)
        {
            return issues;
        }

        // Only for an empty period: is the carrier in the table at all? The look-up of other ids is bounded by LIMIT.
        await using (var any = Command(connection, query, $"SELECT EXISTS (SELECT 1 FROM {m.TableSql} WHERE {CarrierCondition(m, query.Carrier)})"))
        {
            if (Convert.ToInt64(await any.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) != 0)
            {
                return issues;
            }
        }

        await using var ids = Command(connection, query, $"SELECT DISTINCT CAST({m.Carrier.Sql} AS TEXT) FROM {m.TableSql} WHERE {m.Carrier.Sql} IS NOT NULL LIMIT {CarrierSuggestions.MaxCandidates}");
        return issues with { CarrierNotInTable = true, SimilarCarriers = CarrierSuggestions.Find(query.Carrier, await ReadStringsAsync(ids, cancellationToken)) };
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
