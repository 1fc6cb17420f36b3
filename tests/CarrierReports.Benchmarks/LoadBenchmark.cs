using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CarrierReports.Cdr;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// Many subscriptions due at the same second, run by one or more real <c>serve</c> processes that share a clustered
/// Quartz store on a private PostgreSQL, mailing to an SMTP server on loopback. Reports how long until every
/// subscription was delivered, how the nodes shared the work, and each node's memory and CPU over time.
/// </summary>
public static class LoadBenchmark
{
    private const string Table = "cdr";
    private const int FirstCarrier = 1001;
    private const int HistoryDays = 3;
    private static readonly string[] ZoneCycle = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(LoadOptions o, CancellationToken cancellationToken)
    {
        if (!File.Exists(AppProcess.AppDll))
        {
            throw new InvalidOperationException($"{AppProcess.AppDll} is missing; build the benchmark project first");
        }

        var clock = Stopwatch.StartNew();
        using var work = new TempFolder("carrierreports-load-");
        var logs = o.Logs is { Length: > 0 } l ? Directory.CreateDirectory(l).FullName : work.Path;
        var loadBefore = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim() : "unknown";
        var nodes = new List<ServeNode>();
        try
        {
            await using var cluster = await PostgresCluster.StartAsync(cancellationToken);
            await cluster.CreateDatabaseAsync("carrierreports_load", cancellationToken);
            // The nodes get the server's default pool size, not the test helper's.
            var connection = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = cluster.Port, Username = "postgres", Database = "carrierreports_load" }.ConnectionString;
            await using var db = NpgsqlDataSource.Create(connection);
            await using var smtp = SmtpTestServer.Start(keepMessages: false);

            Console.WriteLine($"# Load benchmark: {o.Subscriptions:N0} subscriptions due at the same second, {o.Nodes} node(s)");
            Console.WriteLine();
            var cdrs = await CreateCdrsAsync(db, o, cancellationToken);
            Console.WriteLine($"CDRs: {cdrs:N0} rows for {o.Carriers} carriers over the last {HistoryDays} days ({clock.Elapsed.TotalSeconds:0.0} s incl. cluster start)");

            // Whole seconds: the cadence is a Quartz cron with a seconds field.
            var now = DateTimeOffset.UtcNow;
            var fire = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(o.Lead);
            await WriteSubscriptionsAsync(connection, o, fire, cancellationToken);
            var settings = WriteSettings(work.Path, connection, smtp.Port, o);
            Console.WriteLine($"Subscriptions: {o.Subscriptions:N0} in the service database, formats {o.Formats}, range {o.Range}, bucket {o.Bucket}, " +
                              $"zones {string.Join('/', ZoneCycle)}, one recipient each, settle delay 0, fire time {Rendering.ReportFormat.UtcTime(fire)}");

            var scansBefore = await CdrScansAsync(db, cancellationToken);
            var started = clock.Elapsed;
            for (var i = 1; i <= o.Nodes; i++)
            {
                nodes.Add(ServeNode.Start($"node-{i}", settings, work.Path, Path.Combine(logs, $"node-{i}.log")));
            }

            var result = await MeasureAsync(db, smtp, nodes, o, fire, clock, started, cancellationToken);
            await ReportAsync(db, smtp, nodes, o, fire, result, loadBefore, cancellationToken);
            await ReportCdrQueriesAsync(db, o, scansBefore, cancellationToken);
            return result.Succeeded == o.Subscriptions && result.Failed == 0 ? 0 : 1;
        }
        finally
        {
            // Before the work folder goes: the nodes write into it until they stop.
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Scans of the CDR table as PostgreSQL counts them (sequential + index scans): every aggregation a report or a
    /// rollup refresh sends is one, whatever the service thinks it sent.
    /// </summary>
    private static Task<long> CdrScansAsync(NpgsqlDataSource db, CancellationToken cancellationToken) => ScalarAsync<long>(db,
        $"SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = '{Table}'", cancellationToken);

    /// <summary>Issue 12: the load on the CDR database per 1,000 due subscriptions (render once, send many).</summary>
    private static async Task ReportCdrQueriesAsync(NpgsqlDataSource db, LoadOptions o, long before, CancellationToken cancellationToken)
    {
        // An idle backend reports its table statistics within 10 s (PGSTAT_IDLE_INTERVAL); wait that out.
        await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
        var scans = await CdrScansAsync(db, cancellationToken) - before;
        var reports = Enumerable.Range(0, o.Subscriptions).Select(i => (i % o.Carriers, i % ZoneCycle.Length)).Distinct().Count();
        Console.WriteLine(FormattableString.Invariant(
            $"- CDR queries (scans of the CDR table, pg_stat_user_tables): **{scans:N0}** for {o.Subscriptions:N0} due subscriptions ({scans * 1000.0 / o.Subscriptions:N0} per 1,000 due subscriptions); {reports:N0} distinct reports (carrier × zone), {o.Nodes} node(s): {scans / (double)reports:0.0} per distinct report"));
    }

    private sealed record Progress(int Succeeded, int Failed, int Running, TimeSpan? AllReady, TimeSpan? Done, DateTimeOffset FireWall, TimeSpan FireClock);

    /// <summary>Samples every node until the ledger has a succeeded run of every subscription for the fire time, or the timeout.</summary>
    private static async Task<Progress> MeasureAsync(NpgsqlDataSource db, SmtpTestServer smtp, List<ServeNode> nodes, LoadOptions o, DateTimeOffset fire,
        Stopwatch clock, TimeSpan started, CancellationToken cancellationToken)
    {
        var fireClock = clock.Elapsed + (fire - DateTimeOffset.UtcNow);
        TimeSpan? ready = null;
        using var timer = new PeriodicTimer(SampleEvery);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = clock.Elapsed;
            foreach (var n in nodes)
            {
                n.Sample(now.TotalSeconds - fireClock.TotalSeconds);
            }

            if (ready is null)
            {
                if (nodes.All(n => n.Ready.IsCompletedSuccessfully))
                {
                    ready = now;
                    Console.WriteLine($"Nodes ready {(now - started).TotalSeconds:0.0} s after start, {(fireClock - now).TotalSeconds:0.0} s before the fire time");
                }
                else if (nodes.FirstOrDefault(n => n.Ready.IsFaulted) is { } dead)
                {
                    throw dead.Ready.Exception!.InnerException!;
                }
                else if (now > fireClock - TimeSpan.FromSeconds(1))
                {
                    throw new InvalidOperationException($"the nodes were not ready before the fire time; raise --lead above {o.Lead} s");
                }

                continue;
            }

            if (now < fireClock)
            {
                continue;
            }

            var (succeeded, failed, running) = await CountRunsAsync(db, fire, cancellationToken);
            if (succeeded >= o.Subscriptions)
            {
                return new Progress(succeeded, failed, running, ready - started, now - fireClock, fire, fireClock);
            }

            if (now - fireClock > TimeSpan.FromSeconds(o.Timeout) || nodes.All(n => n.HasExited))
            {
                Console.WriteLine($"Stopped waiting: {(nodes.All(n => n.HasExited) ? "every node exited" : $"timeout of {o.Timeout} s")}; SMTP received {smtp.Messages:N0}");
                return new Progress(succeeded, failed, running, ready - started, null, fire, fireClock);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private static async Task<(int Succeeded, int Failed, int Running)> CountRunsAsync(NpgsqlDataSource db, DateTimeOffset fire, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(DISTINCT subscription_id) FILTER (WHERE status = 'succeeded'),
                   count(*) FILTER (WHERE status = 'failed'),
                   count(*) FILTER (WHERE status = 'running')
            FROM cr_runs WHERE scheduled_at = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = fire.UtcDateTime });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private static async Task ReportAsync(NpgsqlDataSource db, SmtpTestServer smtp, List<ServeNode> nodes, LoadOptions o, DateTimeOffset fire, Progress p,
        string loadBefore, CancellationToken cancellationToken)
    {
        var last = await ScalarAsync<DateTime?>(db, "SELECT max(updated_at) FROM cr_deliveries WHERE outcome = 'delivered'", cancellationToken);
        var delivered = await ScalarAsync<long>(db, "SELECT count(*) FROM cr_deliveries WHERE outcome = 'delivered'", cancellationToken);
        var lastSmtp = smtp.LastTimestamp == 0 ? (TimeSpan?)null : Stopwatch.GetElapsedTime(smtp.LastTimestamp);
        Console.WriteLine();
        Console.WriteLine("## Result");
        Console.WriteLine();
        Console.WriteLine(p.Done is { } done
            ? $"All {o.Subscriptions:N0} subscriptions succeeded; the ledger saw the last one {done.TotalSeconds:0.0} s after the fire time (polled every {SampleEvery.TotalSeconds:0.0} s)."
            : $"NOT all delivered: {p.Succeeded:N0} of {o.Subscriptions:N0} subscriptions succeeded, {p.Running} still running.");
        if (last is { } l)
        {
            var lastDelivery = new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc)) - fire;
            Console.WriteLine(FormattableString.Invariant($"- Time from the fire time to the last delivery (ledger): **{lastDelivery.TotalSeconds:0.0} s**; to the last message at the SMTP server: {(DateTimeOffset.UtcNow - (lastSmtp ?? TimeSpan.Zero) - fire).TotalSeconds:0.0} s"));
        }

        Console.WriteLine($"- Deliveries recorded: {delivered:N0}; SMTP server received {smtp.Messages:N0} messages ({smtp.Bytes / 1048576.0:0.0} MB) over {smtp.Sessions:N0} connections");
        Console.WriteLine($"- Failed runs (attempts that failed, retried later): {p.Failed}");

        await using (var cmd = db.CreateCommand("""
            SELECT node, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'),
                   extract(epoch FROM min(started_at) - $1), extract(epoch FROM max(finished_at) - $1),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)),
                   max(extract(epoch FROM finished_at - started_at))
            FROM cr_runs WHERE scheduled_at = $1 GROUP BY node ORDER BY node
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = fire.UtcDateTime });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            Console.WriteLine();
            Console.WriteLine("| node | runs succeeded | share | failed | first start s | last finish s | run p50 ms | run p95 ms | run max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            while (await reader.ReadAsync(cancellationToken))
            {
                var ok = reader.GetInt64(1);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {reader.GetString(0)} | {ok:N0} | {100.0 * ok / o.Subscriptions:0.0} % | {reader.GetInt64(2)} | {reader.GetDecimal(3):0.0} | {Dbl(reader, 4):0.0} | {Dbl(reader, 5) * 1000:0} | {Dbl(reader, 6) * 1000:0} | {Dbl(reader, 7) * 1000:0} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Memory (VmRSS from /proc every 0.5 s; s relative to the fire time) and CPU of each node:");
        Console.WriteLine();
        Console.WriteLine("| node | RSS when ready MB | peak RSS during the burst MB | RSS at the end MB | VmHWM MB | private (RssAnon) ready → end MB | threads ready → end | CPU s in the burst |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var n in nodes)
        {
            var s = n.Samples;
            var before = s.LastOrDefault(x => x.Seconds < 0);
            var during = s.Where(x => x.Seconds >= 0).ToList();
            if (before is null || during.Count == 0)
            {
                continue;
            }

            Console.WriteLine(FormattableString.Invariant(
                $"| {n.Name} | {before.RssMb:0} | {during.Max(x => x.RssMb):0} | {during[^1].RssMb:0} | {during[^1].HwmMb:0} | {before.AnonMb:0} → {during[^1].AnonMb:0} | {before.Threads} → {during[^1].Threads} | {during[^1].CpuSeconds - before.CpuSeconds:0.0} |"));
        }

        Console.WriteLine();
        foreach (var n in nodes)
        {
            // Every 5 s, so the shape is visible: flat means it does not grow with the runs done.
            var end = (p.Done ?? TimeSpan.FromSeconds(o.Timeout)).TotalSeconds + 5;
            var line = n.Samples.Where(x => x.Seconds >= -5 && x.Seconds <= end && Math.Abs(x.Seconds % 5) < SampleEvery.TotalSeconds - 0.01)
                .Select(x => FormattableString.Invariant($"{x.Seconds:0}s:{x.RssMb:0}"));
            Console.WriteLine($"- {n.Name} RSS MB over time: {string.Join(" ", line)}");
        }

        var facts = await MachineFacts.ReadAsync(db, cancellationToken);
        var loadAfter = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim() : "unknown";
        Console.WriteLine();
        Console.WriteLine("## Machine");
        Console.WriteLine();
        Console.WriteLine($"- CPU: {facts.Cpu}, {facts.Cores} cores (nproc); RAM {facts.Ram}; {facts.Os}; {facts.Dotnet}");
        Console.WriteLine($"- {facts.Postgres} (fsync off, private cluster on loopback); SMTP server in the benchmark process on loopback");
        Console.WriteLine($"- Node settings: Scheduling:MaxConcurrentRuns {(o.MaxConcurrentRuns?.ToString(CultureInfo.InvariantCulture) ?? "default")}, Mail:MaxConnections {(o.MailConnections?.ToString(CultureInfo.InvariantCulture) ?? "default")}");
        Console.WriteLine($"- Load average before / after (other work on the machine shows here): {loadBefore} / {loadAfter}");
    }

    private static double Dbl(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>
    /// CDRs of <see cref="LoadOptions.Carriers"/> carriers from <see cref="HistoryDays"/> days before today (UTC) until
    /// now, so the previous day in every zone of <see cref="ZoneCycle"/>, and the day before it, have traffic. About 20
    /// routes per carrier with a skew, 2 % without a route, answer rates by route, exponential call lengths.
    /// </summary>
    private static async Task<long> CreateCdrsAsync(NpgsqlDataSource db, LoadOptions o, CancellationToken cancellationToken)
    {
        var to = DateTimeOffset.UtcNow;
        var from = new DateTimeOffset(to.UtcDateTime.Date, TimeSpan.Zero).AddDays(-HistoryDays);
        var perCarrier = (long)(o.CallsPerCarrierDay * (to - from).TotalDays);
        await ExecuteAsync(db, new CdrTable(Table) { Id = null, RouteType = "integer", SipCodeType = "smallint" }.CreatePostgres(), [], cancellationToken);
        await ExecuteAsync(db, "SELECT setseed(0.5)", [], cancellationToken);
        await ExecuteAsync(db, $"""
            INSERT INTO {Table}
            SELECT t, c, r,
                   CASE WHEN a THEN 1 + floor(-ln(1 - random()) * 150)::int ELSE 0 END,
                   CASE WHEN a THEN 200 ELSE (ARRAY[486, 487, 503, 404])[1 + floor(random() * 4)::int] END
            FROM (
                SELECT $1::timestamptz + random() * ($2::timestamptz - $1::timestamptz) AS t,
                       {FirstCarrier - 1} + c AS c, x.r,
                       random() < 0.25 + 0.025 * coalesce(x.r - 2000, 8) AS a
                FROM generate_series(1, $3) c, generate_series(1, $4) g,
                     LATERAL (SELECT CASE WHEN random() < 0.02 THEN NULL ELSE 2000 + floor(20 * power(random(), 2))::int END + 0 * g AS r) x
            ) s
            """, [from.UtcDateTime, to.UtcDateTime, o.Carriers, (int)perCarrier], cancellationToken);
        await ExecuteAsync(db, $"CREATE INDEX ON {Table} (carrier_id, start_time)", [], cancellationToken);
        await ExecuteAsync(db, $"ANALYZE {Table}", [], cancellationToken);
        return o.Carriers * perCarrier;
    }

    /// <summary>
    /// Saves the subscriptions straight into the service database (the table <c>subscriptions save</c> writes), in one
    /// statement: saving them one by one through the catalog would re-read all of them for each.
    /// </summary>
    private static async Task WriteSubscriptionsAsync(string connection, LoadOptions o, DateTimeOffset fire, CancellationToken cancellationToken)
    {
        var database = new ServiceDatabase(Options.Create(new DatabaseOptions { Provider = CdrProvider.Postgres, ConnectionString = connection }));
        await using (database)
        {
            // Creates the service schema, as 'db migrate' (or the first node's serve) would: nothing else creates it.
            var migrator = new SchemaMigrator(database, [new ServiceSchemaPart(database)], Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance);
            await migrator.MigrateAsync(cancellationToken);
        }

        var ids = new string[o.Subscriptions];
        var definitions = new string[o.Subscriptions];
        for (var i = 0; i < o.Subscriptions; i++)
        {
            var zoneId = ZoneCycle[i % ZoneCycle.Length];
            var local = TimeZoneInfo.ConvertTime(fire, TimeZoneInfo.FindSystemTimeZoneById(zoneId));
            var carrier = FirstCarrier + i % o.Carriers;
            var s = new SubscriptionDefinition
            {
                Id = $"load-{i + 1:D5}",
                Name = $"Load {i + 1}",
                Carrier = carrier.ToString(CultureInfo.InvariantCulture),
                Range = o.Range,
                TimeZone = zoneId,
                Bucket = o.Bucket,
                Cadence = FormattableString.Invariant($"{local.Second} {local.Minute} {local.Hour} * * ?"),
                SettleDelay = TimeSpan.Zero,
                Formats = [.. o.Formats.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                Recipients = new SubscriptionRecipients { To = [$"noc-{i + 1}@carrier{carrier}.example"] },
            };
            try
            {
                Subscription.Create(s, "load benchmark");
            }
            catch (SubscriptionException ex)
            {
                throw new InputException("--subscriptions", string.Join("; ", ex.Errors));
            }

            ids[i] = s.Id;
            definitions[i] = JsonSerializer.Serialize(s, SubscriptionCatalog.Json);
        }

        await using var db = NpgsqlDataSource.Create(connection);
        await using var cmd = db.CreateCommand("INSERT INTO cr_subscriptions (id, definition, updated_at) SELECT id, d, now() FROM unnest($1::text[], $2::text[]) AS x(id, d)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
        cmd.Parameters.Add(new NpgsqlParameter { Value = definitions });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The settings file every node reads with <c>--config</c>; each node's name comes from its environment.</summary>
    private static string WriteSettings(string work, string connection, int smtpPort, LoadOptions o)
    {
        var carriers = new JsonObject();
        for (var c = 0; c < o.Carriers; c++)
        {
            carriers[(FirstCarrier + c).ToString(CultureInfo.InvariantCulture)] = $"Carrier {FirstCarrier + c}";
        }

        var mail = new JsonObject
        {
            ["Transport"] = "Smtp",
            ["Host"] = "127.0.0.1",
            ["Port"] = smtpPort,
            ["From"] = "Carrier Reports <reports@load.example>",
        };
        if (o.MailConnections is { } m)
        {
            mail["MaxConnections"] = m;
        }

        var scheduling = new JsonObject();
        if (o.ShareReportsFor is { } share)
        {
            scheduling["ShareReportsFor"] = TimeSpan.FromSeconds(share).ToString("c", CultureInfo.InvariantCulture);
        }

        if (o.MaxConcurrentRuns is { } r)
        {
            scheduling["MaxConcurrentRuns"] = r;
        }

        var settings = new JsonObject
        {
            ["Database"] = new JsonObject { ["Provider"] = "Postgres", ["ConnectionString"] = connection },
            ["CdrSource"] = new JsonObject
            {
                ["Provider"] = "Postgres",
                ["ConnectionString"] = connection,
                ["Table"] = Table,
                ["Columns"] = new JsonObject { ["SipCode"] = "sip_code" },
            },
            ["Carriers"] = carriers,
            ["SubscriptionSources"] = new JsonObject { ["Folder"] = Path.Combine(work, "no-subscription-files") },
            ["Archive"] = new JsonObject { ["Root"] = Path.Combine(work, "archive") },
            ["Mail"] = mail,
            ["Scheduling"] = scheduling,
        };
        var path = Path.Combine(work, "load.settings.json");
        File.WriteAllText(path, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
