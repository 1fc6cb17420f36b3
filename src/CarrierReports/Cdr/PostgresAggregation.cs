using Npgsql;

namespace CarrierReports.Cdr;

/// <summary>The aggregation query of <see cref="PostgresCdrSource"/> and the follow-up queries that explain odd results.</summary>
public sealed partial class PostgresCdrSource
{
    // Columns are qualified because the query also reads the bucket series, whose column could clash with a CDR column name.
    private static string C(MappedColumn column) => "c." + column.Sql;

    public async Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken)
    {
        var m = await GetMappingAsync(cancellationToken);
        var d = C(m.Duration);
        var ans = AnsweredSql(m);
        var outside = Outside(m);

        // The bucket number comes from a join with generate_series rather than from width_bucket(...) in GROUP BY; the
        // results are identical (for a row in [from, to) width_bucket - 1 is exactly one of 0..n-1). Why: PostgreSQL
        // estimates the groups of an expression over start_time as about one per row, so a plain GROUP BY gets a serial
        // HashAggregate sized for a million groups; grouping by the series column gives it a small, realistic group count
        // and it chooses a parallel partial aggregation. The series has at least 200 values (the planner's default
        // distinct count for an expression) so the join is estimated to keep every row: with fewer, a 1-bucket query was
        // estimated at 1/200 of its rows and got a sort that spilled to disk. Extra values never match. README, Benchmarks.
        var sql = $"""
            SELECT b.i AS bucket,
                   c.{m.Route.Sql}::text AS route,
                   count(*) AS attempts,
                   count(*) FILTER (WHERE {ans}) AS answered,
                   coalesce(sum({d}) FILTER (WHERE {ans}), 0) AS answered_seconds,
                   count(*) FILTER (WHERE {d} < 0) AS negative_duration,
                   count(*) FILTER (WHERE {outside}) AS outside_lists
            FROM {m.TableSql} AS c
            JOIN generate_series(0, greatest(cardinality($1::timestamptz[]), 200) - 1) AS b(i) ON b.i = width_bucket(c.{m.StartTime.Sql}, $1::timestamptz[]) - 1
            WHERE {Where(m)}
            GROUP BY b.i, c.{m.Route.Sql}
            """;

        await using var connection = await OpenAsync(cancellationToken);
        CdrAggregate aggregate;
        try
        {
            await using var cmd = Command(connection, query, m, sql);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            aggregate = await CdrAggregate.ReadAsync(reader, query.Limits, query.BucketStarts.Count, cancellationToken);
        }
        catch (LimitReachedException)
        {
            var countSql = $"SELECT count(DISTINCT c.{m.Route.Sql}) + coalesce(max(CASE WHEN c.{m.Route.Sql} IS NULL THEN 1 ELSE 0 END), 0) FROM {m.TableSql} AS c WHERE {Where(m)}";
            await using var count = Command(connection, query, m, countSql);
            query.Limits.Check(Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture), query.BucketStarts.Count);
            throw new InvalidOperationException("The route count no longer exceeds the report limits; the CDR table changed during the report.");
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException || (ex is PostgresException { SqlState: "57014" } && !cancellationToken.IsCancellationRequested))
        {
            throw new TimeoutException($"The CDR query exceeded {CdrSourceOptions.Section}:CommandTimeoutSeconds ({_options.CommandTimeoutSeconds} s).", ex);
        }

        return aggregate with { Issues = await ExplainAsync(connection, query, m, aggregate, cancellationToken) };
    }

    /// <summary>The SQL condition for "answered" (shared with the rollups' slot query, so both count alike).</summary>
    internal static string AnsweredSql(CdrMapping m)
    {
        var d = C(m.Duration);
        var answered = m switch
        {
            { SipCode: { Kind: ColumnKind.Text } sip } => $"btrim({C(sip)}) = '200'",
            { SipCode: { } sip } => $"{C(sip)} = 200",
            { Answered: { } flag, AnswerValues: { } values } => $"coalesce({AnswerValues.InList(C(flag), values.Answered)}, false)",
            { Answered: { Kind: ColumnKind.Boolean } flag } => $"{C(flag)} IS TRUE",
            { Answered: { } flag } => $"coalesce({C(flag)}, 0) <> 0",
            _ => $"{d} > 0",
        };
        // A negative duration is a broken CDR: still an attempt (the seizure happened), never answered time.
        return m.Answered is null && m.SipCode is null ? answered : $"({answered}) AND coalesce({d}, 0) >= 0";
    }

    private static string Where(CdrMapping m) => $"c.{m.Carrier.Sql} = $2 AND c.{m.StartTime.Sql} >= $3 AND c.{m.StartTime.Sql} < $4";

    private static string Outside(CdrMapping m) => m is { Answered: { } a, AnswerValues: { } v } ? v.OutsideSql(C(a)) : "false";

    /// <summary>Parameters: $1 bucket starts, $2 carrier, $3 from, $4 to (each statement uses those it needs).</summary>
    private NpgsqlCommand Command(NpgsqlConnection connection, CdrQuery query, CdrMapping m, string sql)
    {
        var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = _options.CommandTimeoutSeconds };
        cmd.Parameters.Add(new NpgsqlParameter { Value = query.BucketStarts.Select(b => b.UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = CarrierValue(query.Carrier, m.Carrier) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = query.UtcFrom.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter { Value = query.UtcTo.UtcDateTime });
        return cmd;
    }

    /// <summary>
    /// Counts the carrier's rows without a start time (only when the column may be NULL), names the unlisted answer
    /// values, and for a carrier without any row says so and finds near matches.
    /// </summary>
    private async Task<CdrDataIssues> ExplainAsync(NpgsqlConnection connection, CdrQuery query, CdrMapping m, CdrAggregate aggregate, CancellationToken cancellationToken)
    {
        var issues = aggregate.Issues;
        var statements = new List<(string Sql, bool Named)>();
        if (!m.StartTime.NotNull)
        {
            var sql = $"SELECT count(*)::text FROM {m.TableSql} AS c WHERE c.{m.Carrier.Sql} = $2 AND c.{m.StartTime.Sql} IS NULL";
            var unreadable = long.Parse((await StringsAsync(connection, query, m, sql, cancellationToken))[0], System.Globalization.CultureInfo.InvariantCulture);
            issues = issues with { UnreadableStartRows = unreadable };
        }

        if (issues.UnlistedAnswerRows > 0 && m.Answered is { } a)
        {
            var sql = $"SELECT DISTINCT coalesce({C(a)}::text, '(null)') FROM {m.TableSql} AS c WHERE {Where(m)} AND {Outside(m)} LIMIT {CdrDataIssues.MaxListed}";
            issues = issues with { UnlistedAnswerValues = await StringsAsync(connection, query, m, sql, cancellationToken) };
        }

        if (aggregate.Rows.Count > 0 || issues.UnreadableStartRows > 0)
        {
            return issues;
        }

        // Only for an empty period: is the carrier in the table at all? The look-up of other ids is bounded by LIMIT.
        var anySql = $"SELECT c.{m.Carrier.Sql}::text FROM {m.TableSql} AS c WHERE c.{m.Carrier.Sql} = $2 LIMIT 1";
        if ((await StringsAsync(connection, query, m, anySql, cancellationToken)).Count > 0)
        {
            return issues;
        }

        var idsSql = $"SELECT DISTINCT c.{m.Carrier.Sql}::text FROM {m.TableSql} AS c WHERE c.{m.Carrier.Sql} IS NOT NULL LIMIT {CarrierSuggestions.MaxCandidates}";
        var ids = await StringsAsync(connection, query, m, idsSql, cancellationToken);
        return issues with { CarrierNotInTable = true, SimilarCarriers = CarrierSuggestions.Find(query.Carrier, ids) };
    }

    private async Task<IReadOnlyList<string>> StringsAsync(NpgsqlConnection connection, CdrQuery query, CdrMapping m, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(connection, query, m, sql);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
