using System.Diagnostics;
using System.Text.Json;
using CarrierReports.Subscriptions;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// Fills a migrated PostgreSQL service database for the API benchmark, set-based (INSERT … SELECT over
/// generate_series; no row-by-row round trips): subscriptions with a few versions each, and runs with three deliveries
/// each. Subscription <see cref="BusyId"/> is hourly and holds many runs, so a deep keyset page of its runs exists; every
/// other subscription is daily with the same number of runs.
/// </summary>
public static class ApiSeed
{
    public const string BusyId = "bench-00000";
    public const int Carriers = 50;
    public const int FirstCarrier = 1001;
    public const int VersionsPerSubscription = 3;
    public const int RecipientsPerRun = 3;

    /// <summary>Runs of each daily subscription; the busy one gets the rest of the total.</summary>
    public static int DailyRuns(ApiOptions o) => o.Subscriptions < 2 ? 0 : (int)((long)o.Runs * 95 / 100 / (o.Subscriptions - 1));

    public static int BusyRuns(ApiOptions o) => o.Runs - (DailyRuns(o) * (o.Subscriptions - 1));

    /// <summary>True when the database already holds exactly this data set (a kept database from an earlier run).</summary>
    public static async Task<bool> IsSeededAsync(NpgsqlDataSource db, ApiOptions o, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand("SELECT (SELECT count(*) FROM cr_subscriptions), (SELECT count(*) FROM cr_runs), (SELECT count(*) FROM cr_deliveries)");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0) == o.Subscriptions && reader.GetInt64(1) == o.Runs && reader.GetInt64(2) == (long)o.Runs * RecipientsPerRun;
    }

    public static async Task SeedAsync(NpgsqlDataSource db, ApiOptions o, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day0 = new DateTime(now.Year, now.Month, now.Day, 0, 0, 0, DateTimeKind.Utc);
        await StepAsync(db, "empty the service tables", "TRUNCATE cr_subscriptions, cr_subscription_versions, cr_runs, cr_deliveries, cr_run_artifacts", [], cancellationToken);

        // One valid definition with placeholders; the server makes the 10,000 variants.
        var template = JsonSerializer.Serialize(new SubscriptionDefinition
        {
            Id = "@@ID@@",
            Name = "Benchmark @@ID@@",
            Carrier = "@@CARRIER@@",
            TimeZone = "@@ZONE@@",
            Range = "previous-day",
            Bucket = "hour",
            Cadence = "daily@06:00",
            Formats = ["csv"],
            Recipients = new SubscriptionRecipients { To = ["noc-@@ID@@@bench.example", "ops-@@ID@@@bench.example"], Cc = ["manager-@@ID@@@bench.example"] },
        }, SubscriptionCatalog.Json);
        const string Definition = """
            replace(replace(replace(@template, '@@ID@@', format('bench-%s', lpad(i::text, 5, '0'))),
                            '@@CARRIER@@', (@firstCarrier + i % @carriers)::text),
                    '@@ZONE@@', (ARRAY['UTC','Europe/London','America/New_York','Asia/Kolkata','Australia/Sydney'])[1 + i % 5])
            """;
        await StepAsync(db, $"{o.Subscriptions:N0} subscriptions", $"""
            INSERT INTO cr_subscriptions (id, definition, updated_at, carrier)
            SELECT format('bench-%s', lpad(i::text, 5, '0')), {Definition}, @day0 - interval '200 days', (@firstCarrier + i % @carriers)::text
            FROM generate_series(0, @n - 1) i
            """, [new("template", template), new("firstCarrier", FirstCarrier), new("carriers", Carriers), new("n", o.Subscriptions), new("day0", day0)], cancellationToken);
        await StepAsync(db, $"{o.Subscriptions * VersionsPerSubscription:N0} subscription versions", $"""
            INSERT INTO cr_subscription_versions (subscription_id, version, action, deleted, definition, before_definition, changed_fields, changed_by, changed_at)
            SELECT format('bench-%s', lpad(i::text, 5, '0')), v, CASE WHEN v = 1 THEN 'create' ELSE 'update' END, 0,
                   {Definition}, CASE WHEN v = 1 THEN NULL ELSE {Definition} END, CASE WHEN v = 1 THEN '' ELSE 'Name' END,
                   'operator1 (password)', @day0 - (400 - v) * interval '1 day'
            FROM generate_series(0, @n - 1) i, generate_series(1, @versions) v
            """, [new("template", template), new("firstCarrier", FirstCarrier), new("carriers", Carriers), new("n", o.Subscriptions), new("versions", VersionsPerSubscription), new("day0", day0)], cancellationToken);

        const string RunColumns = "run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at, finished_at, heartbeat_at, node, trigger_kind, attempt, status, error, note, report_rows, attempts_total";
        // Every 50th run failed (a real ledger has some); the rest succeeded. Starts are spread over the hour after the fire time.
        await StepAsync(db, $"{DailyRuns(o):N0} daily runs of each other subscription", $"""
            INSERT INTO cr_runs ({RunColumns})
            SELECT 'run-' || md5(s || '/' || d), format('bench-%s', lpad(s::text, 5, '0')),
                   @day0 - (d + 1) * interval '1 day', @day0 - d * interval '1 day', 'UTC', 'previous-day',
                   @day0 - d * interval '1 day' + interval '6 hours',
                   @day0 - d * interval '1 day' + interval '6 hours' + (s % 3600) * interval '1 second',
                   @day0 - d * interval '1 day' + interval '6 hours' + (s % 3600 + 2) * interval '1 second',
                   @day0 - d * interval '1 day' + interval '6 hours' + (s % 3600 + 2) * interval '1 second',
                   'node-' || (s % 3 + 1), 'schedule', 1, CASE WHEN (s + d) % 50 = 0 THEN 'failed' ELSE 'succeeded' END,
                   CASE WHEN (s + d) % 50 = 0 THEN 'smtp: connection refused' END, NULL, 240, 5000 + s % 997
            FROM generate_series(1, @n - 1) s, generate_series(0, @k - 1) d
            """, [new("n", o.Subscriptions), new("k", DailyRuns(o)), new("day0", day0)], cancellationToken);
        await StepAsync(db, $"{BusyRuns(o):N0} hourly runs of {BusyId}", $"""
            INSERT INTO cr_runs ({RunColumns})
            SELECT 'run-' || md5('busy/' || h), @busy, @day0 - (h + 1) * interval '1 hour', @day0 - h * interval '1 hour', 'UTC', 'previous-hour',
                   @day0 - h * interval '1 hour', @day0 - h * interval '1 hour' + interval '1 second',
                   @day0 - h * interval '1 hour' + interval '3 seconds', @day0 - h * interval '1 hour' + interval '3 seconds',
                   'node-' || (h % 3 + 1), 'schedule', 1, CASE WHEN h % 50 = 0 THEN 'failed' ELSE 'succeeded' END,
                   CASE WHEN h % 50 = 0 THEN 'smtp: connection refused' END, NULL, 10, 200
            FROM generate_series(0, @h - 1) h
            """, [new("busy", BusyId), new("h", BusyRuns(o)), new("day0", day0)], cancellationToken);
        await StepAsync(db, $"{(long)o.Runs * RecipientsPerRun:N0} deliveries", """
            INSERT INTO cr_deliveries (subscription_id, period_from, period_to, recipient, kind, message_id, outcome, smtp_reply, attempts, error, run_id, updated_at)
            SELECT r.subscription_id, r.period_from, r.period_to,
                   (ARRAY['noc-', 'ops-', 'manager-'])[k] || r.subscription_id || '@bench.example', (ARRAY['to', 'to', 'cc'])[k],
                   '<' || md5(r.run_id || k) || '@bench.example>', CASE WHEN r.status = 'failed' THEN 'failed' ELSE 'delivered' END,
                   CASE WHEN r.status = 'failed' THEN NULL ELSE '250 2.0.0 Ok: queued' END, 1, CASE WHEN r.status = 'failed' THEN r.error END,
                   r.run_id, r.finished_at
            FROM cr_runs r, generate_series(1, 3) k
            """, [], cancellationToken);
        await StepAsync(db, "vacuum and statistics", "VACUUM ANALYZE", [], cancellationToken);
    }

    private static async Task StepAsync(NpgsqlDataSource db, string what, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        cmd.Parameters.AddRange(parameters);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        Console.WriteLine($"  seeded {what} ({clock.Elapsed.TotalSeconds:0.0} s)");
    }
}
