using System.Diagnostics;
using System.Globalization;
using CarrierReports.Cdr;
using CarrierReports.Rollups;
using CarrierReports.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Benchmarks;

/// <summary>
/// The rollup path of the aggregation benchmark: a full rebuild (first refresh) of every CDR into <c>cr_rollups</c> in
/// the same database, timed with the process's resident memory sampled while it runs, and the rollup-aware source for
/// the report cases.
/// </summary>
public sealed class RollupBench : IAsyncDisposable
{
    private readonly ServiceDatabase _database;
    private readonly RollupRefresher _refresher;
    private readonly PostgresCdrSource _raw;
    private readonly SteppedClock _clock;

    private RollupBench(ServiceDatabase database, RollupCdrSource source, RollupRefresher refresher, PostgresCdrSource raw, SteppedClock clock)
    {
        _database = database;
        _refresher = refresher;
        _raw = raw;
        _clock = clock;
        Source = source;
    }

    public RollupCdrSource Source { get; }

    /// <summary>Seconds of the rebuild, and the peak resident set (MB) sampled every 20 ms during it.</summary>
    public (double Seconds, double PeakRssMb, double RssBeforeMb, long RollupRows) Rebuild { get; private set; }

    public static async Task<RollupBench> CreateAsync(string connection, PostgresCdrSource raw, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var database = new ServiceDatabase(Options.Create(new DatabaseOptions { Provider = CdrProvider.Postgres, ConnectionString = connection }));
        // The service schema and the rollup tables, as 'db migrate' makes them (idempotent on a migrated database).
        var migrator = new SchemaMigrator(database, [new ServiceSchemaPart(database), new RollupSchemaPart(database)], NullLogger<SchemaMigrator>.Instance);
        await migrator.MigrateAsync(cancellationToken);
        var store = new RollupStore(database);
        await store.ClearAsync(cancellationToken);
        var clock = new SteppedClock(now);
        var refresher = new RollupRefresher(raw, store, Options.Create(new RollupOptions { Enabled = true }), clock, NullLogger<RollupRefresher>.Instance);
        var bench = new RollupBench(database, new RollupCdrSource(raw, raw, store), refresher, raw, clock);
        var before = Rss();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss());
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await refresher.RefreshAsync(null, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        bench.Rebuild = (seconds, Math.Max(peak, Rss()), before, await store.CountAsync(cancellationToken));
        return bench;
    }

    public string Describe() => FormattableString.Invariant(
        $"Rollup rebuild (first refresh, every CDR): {Rebuild.Seconds:0.0} s, {Rebuild.RollupRows:N0} rollup rows; process RSS {Rebuild.RssBeforeMb:0} MB before, peak {Rebuild.PeakRssMb:0} MB during");

    /// <summary>VmRSS of this process in MB.</summary>
    private static double Rss()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v / 1024.0 : double.NaN;
    }

    /// <summary>
    /// The refresh job's work, <paramref name="runs"/> times, the clock 5 minutes on each time: it sums
    /// [watermark − LateWindow, now) again from raw CDRs (about 2 h 5 min of every carrier) and replaces those slots and
    /// the hours and days they touch. Alternately, the raw grouped query of the same window alone (streamed, not written),
    /// so the write's own cost is the difference. Medians in ms.
    /// </summary>
    public async Task<(double Refresh, double RawQuery, long WindowRows)> MeasureRefreshAsync(int runs, CancellationToken cancellationToken)
    {
        var refresh = new List<double>();
        var query = new List<double>();
        long rows = 0;
        for (var i = 0; i < runs; i++)
        {
            _clock.Now += TimeSpan.FromMinutes(5);
            var watch = Stopwatch.StartNew();
            var watermark = await _refresher.RefreshAsync(null, cancellationToken);
            refresh.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            rows = 0;
            var from = watermark!.Value - new RollupOptions().LateWindow;
            await foreach (var _ in _raw.SlotSumsAsync(from, watermark.Value, null, cancellationToken))
            {
                rows++;
            }

            query.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (Median(refresh), Median(query), rows);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private sealed class SteppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
