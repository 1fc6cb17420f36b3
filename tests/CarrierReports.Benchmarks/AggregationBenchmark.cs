using CarrierReports.Reports;
using System.Diagnostics;
using System.Globalization;
using CarrierReports.Cdr;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Tests.Support;
using CarrierReports.Time;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// Times the largest carrier's one-month report against the bare <c>count(*)</c> of the same rows, on the same database,
/// plus the two usual alternatives (per-row time-zone conversion, 15-minute UTC pre-aggregation), and checks that all of
/// them return the same numbers.
/// </summary>
public static class AggregationBenchmark
{
    private const string Month = "2026-03-01..2026-04-01";

    /// <summary>The rollups' clock: inside the data's last day, so each 5-minute refresh step after the rebuild finds CDRs in its window.</summary>
    private static readonly DateTimeOffset RefreshedAt = SyntheticCdrs.DataFrom.AddDays(SyntheticCdrs.DataDays - 1).AddHours(12).AddMinutes(3);

    private sealed record Case(string Name, Func<CancellationToken, Task> Run);

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        await using var cluster = options.Connection is null ? await PostgresCluster.StartAsync(cancellationToken) : null;
        var connection = options.Connection ?? await cluster!.CreateDatabaseAsync("carrierreports_bench", cancellationToken);
        await using var db = new NpgsqlDataSourceBuilder(connection).Build();

        Console.WriteLine($"# Aggregation benchmark: {options.Rows:N0} CDRs");
        Console.WriteLine();
        Console.WriteLine(cluster is null ? "Database: CARRIERREPORTS_BENCH_CONNECTION" : $"Database: private cluster on port {cluster.Port}");
        var generated = await SyntheticCdrs.EnsureAsync(db, options.Table, options.Rows, cancellationToken);
        Console.WriteLine(generated > 0 ? $"Generated {options.Rows:N0} rows, index, VACUUM ANALYZE: {generated:0.0} s" : $"Reused table {options.Table} ({options.Rows:N0} rows)");

        var carrier = Convert.ToInt64(await Scalar(db, Queries.LargestCarrier(options.Table), [], cancellationToken), CultureInfo.InvariantCulture);
        var zone = Zones.Find(Queries.Zone, "zone");
        var period = RangeExpression.Resolve(Month, zone, SyntheticCdrs.DataFrom.AddDays(SyntheticCdrs.DataDays));
        var daily = BucketPlan.Create(zone, BucketSize.Day, period.UtcFrom, period.UtcTo);
        var hourly = BucketPlan.Create(zone, BucketSize.Hour, period.UtcFrom, period.UtcTo);
        object[] bounds = [carrier, period.UtcFrom.UtcDateTime, period.UtcTo.UtcDateTime];
        var monthRows = Convert.ToInt64(await Scalar(db, Queries.Count(options.Table), bounds, cancellationToken), CultureInfo.InvariantCulture);
        Console.WriteLine($"Report: carrier {carrier} (the largest), {Queries.Zone} {Month} = UTC [{ReportFormat.UtcTime(period.UtcFrom)}, {ReportFormat.UtcTime(period.UtcTo)}), " +
                          $"{monthRows:N0} CDRs, {daily.Buckets.Count} daily / {hourly.Buckets.Count} hourly buckets");

        await using var source = new PostgresCdrSource(new CdrSourceOptions
        {
            Provider = CdrProvider.Postgres,
            ConnectionString = connection,
            Table = options.Table,
            CommandTimeoutSeconds = 3_600,
        });
        var service = new AsrPerRouteService(source, TimeProvider.System);
        await using var rollups = await RollupBench.CreateAsync(connection, source, RefreshedAt, cancellationToken);
        Console.WriteLine(rollups.Describe());
        var refresh = await rollups.MeasureRefreshAsync(Math.Max(3, options.Runs), cancellationToken);
        Console.WriteLine(FormattableString.Invariant(
            $"Refresh of one 5-minute step (the job's work: [watermark − 2 h, now) again, all carriers), median of {Math.Max(3, options.Runs)}: {refresh.Refresh:0} ms; the raw grouped query of that window alone: {refresh.RawQuery:0} ms ({refresh.WindowRows:N0} slot rows); the rest (write slots, hours, days): {refresh.Refresh - refresh.RawQuery:0} ms"));
        var rollupService = new AsrPerRouteService(rollups.Source, TimeProvider.System);
        var artifacts = new ReportArtifacts([new CsvReportRenderer()], new CarrierReports.Templating.TemplateRenderer(TimeProvider.System));
        var request = new AsrPerRouteRequest(carrier.ToString(CultureInfo.InvariantCulture), "Largest carrier", period, BucketSize.Day);
        var dailyQuery = new CdrQuery(request.Carrier, period.UtcFrom, period.UtcTo, daily.Starts());
        var hourlyQuery = new CdrQuery(request.Carrier, period.UtcFrom, period.UtcTo, hourly.Starts());
        long csvBytes = 0;
        object[] slotBounds = [carrier.ToString(CultureInfo.InvariantCulture), daily.Starts().Select(x => x.ToUnixTimeSeconds()).ToArray(), period.UtcFrom.ToUnixTimeSeconds(), period.UtcTo.ToUnixTimeSeconds()];

        Case[] cases =
        [
            new("count(*) of the same rows (the scan)", ct => Scalar(db, Queries.Count(options.Table), bounds, ct)),
            new("count(duration) of the same rows (reads the heap)", ct => Scalar(db, Queries.CountHeap(options.Table), bounds, ct)),
            new("aggregation alone, daily (PostgresCdrSource)", ct => source.AggregateAsync(dailyQuery, ct)),
            new("aggregation alone, hourly", ct => source.AggregateAsync(hourlyQuery, ct)),
            new("end to end: daily report + previous period + CSV", async ct =>
            {
                var report = await service.RunAsync(request, ct);
                await using var files = await artifacts.RenderAsync(report, [ReportFormatKind.Csv], new RenderOptions(), ct);
                csvBytes = files.Sum(f => f.Length);
            }),
            new("rollup path: aggregation alone, daily (RollupCdrSource)", ct => rollups.Source.AggregateAsync(dailyQuery, ct)),
            new("rollup path: aggregation alone, hourly", ct => rollups.Source.AggregateAsync(hourlyQuery, ct)),
            new("rollup slots only (the read before the hour/day tiers), daily", ct => Rows(db, Queries.SlotRollups, slotBounds, ct)),
            new("rollup path: end to end daily + previous period + CSV", async ct =>
            {
                var report = await rollupService.RunAsync(request, ct);
                await using var files = await artifacts.RenderAsync(report, [ReportFormatKind.Csv], new RenderOptions(), ct);
            }),
            new("naive GROUP BY date_trunc('day', start_time AT TIME ZONE ...)", ct => Rows(db, Queries.Naive(options.Table, "day"), bounds, ct)),
            new("15-minute UTC pre-aggregation, then local days", ct => Rows(db, Queries.QuarterHourDaily(options.Table), bounds, ct)),
        ];

        var phases = options.Index switch
        {
            IndexMode.Plain => new[] { false },
            IndexMode.Covering => [true],
            _ => [false, true],
        };
        var failures = 0;
        foreach (var covering in phases)
        {
            await SyntheticCdrs.SetCoveringIndexAsync(db, options.Table, covering, cancellationToken);
            var title = covering
                ? "Index (carrier_id, start_time) plus (carrier_id, start_time) INCLUDE (provider_card_id, duration)"
                : "Index (carrier_id, start_time) only";
            Console.WriteLine();
            Console.WriteLine($"## {title}");
            Console.WriteLine();

            failures += await CheckAsync(db, source, options.Table, dailyQuery, daily, bounds, "day", monthRows, cancellationToken);
            failures += await CheckAsync(db, source, options.Table, hourlyQuery, hourly, bounds, "hour", monthRows, cancellationToken);
            failures += await CheckRollupsAsync(source, rollups.Source, dailyQuery, "day", cancellationToken);
            failures += await CheckRollupsAsync(source, rollups.Source, hourlyQuery, "hour", cancellationToken);
            if (options.Explain)
            {
                await ExplainAsync(db, cluster, connection, options.Table, dailyQuery, bounds, cancellationToken);
            }

            var times = await MeasureAsync(cases, options, cancellationToken);
            var scan = Median(times[0]);
            Console.WriteLine($"Medians of {options.Runs} warm runs ({options.Warmup} discarded), rounds interleaved:");
            Console.WriteLine();
            Console.WriteLine("| query | median ms | min ms | max ms | × count(*) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            for (var i = 0; i < cases.Length; i++)
            {
                var m = Median(times[i]);
                Console.WriteLine(FormattableString.Invariant($"| {cases[i].Name} | {m:0.0} | {times[i].Min():0.0} | {times[i].Max():0.0} | {m / scan:0.00} |"));
            }

            Console.WriteLine();
            var ratio = Median(times[2]) / scan;
            Console.WriteLine(FormattableString.Invariant($"Target aggregation ≤ 3× count(*): {(ratio <= 3 ? "met" : "NOT met")} ({ratio:0.00}×). CSV files: {csvBytes:N0} bytes."));
        }

        var facts = await MachineFacts.ReadAsync(db, cancellationToken);
        var size = await Scalar(db, $"SELECT pg_size_pretty(pg_table_size('{options.Table}')) || ' heap, ' || pg_size_pretty(pg_indexes_size('{options.Table}')) || ' indexes'", [], cancellationToken);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine();
        Console.WriteLine("## Machine and memory");
        Console.WriteLine();
        Console.WriteLine($"- CPU: {facts.Cpu}, {facts.Cores} cores (nproc); RAM {facts.Ram}; {facts.Os}; {facts.Dotnet}");
        Console.WriteLine($"- {facts.Postgres}; {facts.PostgresSettings}; table {size}");
        Console.WriteLine(FormattableString.Invariant(
            $"- .NET process peak working set: {self.PeakWorkingSet64 / 1048576.0:0.0} MB (VmHWM {Status("VmHWM"):0.0} MB; now {Status("RssAnon"):0.0} MB private + {Status("RssFile"):0.0} MB mapped files); GC heap now {GC.GetTotalMemory(false) / 1048576.0:0.0} MB; allocated in total {GC.GetTotalAllocatedBytes() / 1048576.0:0.0} MB"));
        Console.WriteLine(failures == 0 ? "- Results: identical across all methods." : $"- Results: {failures} MISMATCH(ES), see above.");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<List<double>[]> MeasureAsync(Case[] cases, BenchOptions options, CancellationToken cancellationToken)
    {
        var times = cases.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < options.Warmup + options.Runs; round++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                await cases[i].Run(cancellationToken);
                if (round >= options.Warmup)
                {
                    times[i].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        return times;
    }

    /// <summary>Compares the product's sums with the naive query (and, daily, the pre-aggregation): every cell must match.</summary>
    private static async Task<int> CheckAsync(NpgsqlDataSource db, PostgresCdrSource source, string table, CdrQuery query, BucketPlan plan, object[] bounds, string unit, long monthRows, CancellationToken cancellationToken)
    {
        var ours = await source.AggregateAsync(query, cancellationToken);
        var expected = ours.Rows.ToDictionary(r => (r.Bucket, r.Route), r => (r.Attempts, r.Answered, r.AnsweredSeconds));
        var byLocalStart = plan.Buckets.ToDictionary(b => b.LocalStart.DateTime, b => b.Index);
        var failures = 0;
        var others = unit == "day"
            ? new[] { ("naive", Queries.Naive(table, unit)), ("15-minute", Queries.QuarterHourDaily(table)) }
            : [("naive", Queries.Naive(table, unit))];
        foreach (var (name, sql) in others)
        {
            var theirs = new Dictionary<(int, string?), (long, long, decimal)>();
            long negative = 0;
            foreach (var row in await Rows(db, sql, bounds, cancellationToken))
            {
                theirs[(byLocalStart[(DateTime)row[0]!], (string?)row[1])] = ((long)row[2]!, (long)row[3]!, Convert.ToDecimal(row[4], CultureInfo.InvariantCulture));
                negative += (long)row[5]!;
            }

            var same = theirs.Count == expected.Count && theirs.All(kv => expected.TryGetValue(kv.Key, out var v) && v == kv.Value) && negative == ours.NegativeDurationRows;
            if (!same)
            {
                failures++;
            }

            Console.WriteLine($"Check ({unit}): {(same ? "same" : "DIFFERENT")} sums as {name} query: {expected.Count} (bucket, route) cells, {ours.Rows.Sum(r => r.Attempts):N0} attempts, {ours.NegativeDurationRows} negative durations");
        }

        if (ours.Rows.Sum(r => r.Attempts) != monthRows)
        {
            failures++;
            Console.WriteLine($"Check ({unit}): attempts {ours.Rows.Sum(r => r.Attempts):N0} differ from count(*) {monthRows:N0}");
        }

        Console.WriteLine();
        return failures;
    }

    /// <summary>The rollup path must give the raw path's sums, cell by cell.</summary>
    private static async Task<int> CheckRollupsAsync(ICdrSource raw, ICdrSource rollups, CdrQuery query, string unit, CancellationToken cancellationToken)
    {
        static string Cells(CdrAggregate a) => string.Join(";", a.Rows.Select(r => $"{r.Bucket}|{r.Route}|{r.Attempts}|{r.Answered}|{r.AnsweredSeconds}").Order(StringComparer.Ordinal)) + "|" + a.NegativeDurationRows;
        var same = Cells(await raw.AggregateAsync(query, cancellationToken)) == Cells(await rollups.AggregateAsync(query, cancellationToken));
        Console.WriteLine($"Check ({unit}): {(same ? "same" : "DIFFERENT")} sums from the rollups as from raw CDRs");
        return same ? 0 : 1;
    }

    /// <summary>
    /// Prints plans. The product's own query is captured with auto_explain (only on the private cluster, whose log this
    /// process can read), so what is shown is exactly what PostgresCdrSource sends, not a copy of its SQL.
    /// </summary>
    private static async Task ExplainAsync(NpgsqlDataSource db, PostgresCluster? cluster, string connection, string table, CdrQuery query, object[] bounds, CancellationToken cancellationToken)
    {
        foreach (var (name, sql) in new[] { ("count(*)", Queries.Count(table)), ("naive daily", Queries.Naive(table, "day")), ("15-minute", Queries.QuarterHourDaily(table)) })
        {
            Console.WriteLine($"EXPLAIN ANALYZE {name}:");
            foreach (var line in await Rows(db, "EXPLAIN (ANALYZE, BUFFERS) " + sql, bounds, cancellationToken))
            {
                Console.WriteLine("    " + line[0]);
            }
        }

        if (cluster is null)
        {
            Console.WriteLine("(the plan of PostgresCdrSource's query is shown only on the private cluster)");
            return;
        }

        var log = Path.Combine(Path.GetDirectoryName(cluster.DataDirectory)!, "log");
        await Execute(db, "ALTER DATABASE carrierreports_bench SET session_preload_libraries = 'auto_explain'; ALTER DATABASE carrierreports_bench SET auto_explain.log_min_duration = 0; ALTER DATABASE carrierreports_bench SET auto_explain.log_analyze = on; ALTER DATABASE carrierreports_bench SET auto_explain.log_buffers = on", cancellationToken);
        var before = new FileInfo(log).Length;
        {
            // A fresh source, so its first session starts after the settings above (the other's pooled sessions predate them).
            await using var fresh = new PostgresCdrSource(new CdrSourceOptions { Provider = CdrProvider.Postgres, ConnectionString = connection, Table = table });
            await fresh.AggregateAsync(query, cancellationToken);
        }

        await Execute(db, "ALTER DATABASE carrierreports_bench RESET ALL", cancellationToken);
        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(before, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var start = text.IndexOf("width_bucket", StringComparison.Ordinal);
        Console.WriteLine("EXPLAIN ANALYZE PostgresCdrSource daily (auto_explain):");
        Console.WriteLine(start < 0 ? "    (not found in the server log)" : "    " + text[text.LastIndexOf("LOG:", start, StringComparison.Ordinal)..].Trim().Replace("\n", "\n    ", StringComparison.Ordinal));
        Console.WriteLine();
    }

    private static async Task Execute(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(NpgsqlDataSource db, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 3_600;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return await cmd.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<object?[]>> Rows(NpgsqlDataSource db, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 3_600;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var rows = new List<object?[]>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A size field of /proc/self/status in MB (RssFile is mostly the runtime's and ICU's mapped, shareable images).</summary>
    private static double Status(string field)
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) : null;
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v / 1024.0 : double.NaN;
    }
}
