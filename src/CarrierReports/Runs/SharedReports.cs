using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>A report, its render settings (texts included) and its files, as several runs may share them.</summary>
public sealed record SharedReport(AsrPerRouteReport Report, RenderOptions Options, ArtifactSet Files);

/// <summary>
/// Render once, send many, on one node: runs whose <see cref="SharedReportKey"/> is equal take the same report and
/// files. The first run of a key computes and renders; runs that come while it works wait for it; runs within
/// <see cref="RunOptions.ShareReportsFor"/> of its start reuse it. The files' temporary folder is deleted when the
/// window has passed and no run holds it any more. A failed rendering is not kept: the next run tries again.
/// </summary>
/// <remarks>
/// Per node, in memory, by design: each node of a cluster renders a key at most once per window and no file crosses
/// between nodes (see README, Subscriptions). Each run still archives its own copy and records its own run.
/// </remarks>
public sealed class SharedReports : IDisposable
{
    private readonly Dictionary<SharedReportKey, Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ITimer? _sweeper;

    public SharedReports(TimeProvider time, IOptions<RunOptions> options)
    {
        _time = time;
        _window = options.Value.ShareReportsFor;
        if (_window > TimeSpan.Zero)
        {
            // Frees the files of a quiet node too, not only when the next run comes.
            _sweeper = time.CreateTimer(_ => Sweep(), null, _window, _window);
        }
    }

    /// <summary>The shared report of <paramref name="key"/>, built with <paramref name="build"/> if there is none; dispose the lease when done with the files.</summary>
    public async Task<SharedReportLease> AcquireAsync(SharedReportKey key, Func<CancellationToken, Task<SharedReport>> build, CancellationToken cancellationToken)
    {
        if (_window <= TimeSpan.Zero)
        {
            var own = await build(cancellationToken);
            return new SharedReportLease(own, Reused: false, own.Files.Dispose);
        }

        Entry entry;
        bool reused;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            reused = _entries.TryGetValue(key, out entry!) && now < entry.Until && !entry.Build.IsFaulted && !entry.Build.IsCanceled;
            if (!reused)
            {
                // Started outside the caller's stack, so the lock is never held while it works.
                entry = new Entry(Task.Run(() => build(cancellationToken), cancellationToken), now + _window);
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            var value = await entry.Build.WaitAsync(cancellationToken);
            return new SharedReportLease(value, reused, () => Release(key, entry));
        }
        catch
        {
            Release(key, entry);
            throw;
        }
    }

    private void Release(SharedReportKey key, Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            var current = _entries.TryGetValue(key, out var found) && ReferenceEquals(found, entry);
            if (current && entry.Build.IsCompleted && !entry.Build.IsCompletedSuccessfully)
            {
                // A failed rendering is never handed out again.
                _entries.Remove(key);
                current = false;
            }

            if (entry.Users == 0 && (!current || _time.GetUtcNow() >= entry.Until))
            {
                if (current)
                {
                    _entries.Remove(key);
                }

                Free(entry);
            }
        }
    }

    private void Sweep()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var (key, entry) in _entries.Where(e => e.Value.Users == 0 && now >= e.Value.Until).ToList())
            {
                _entries.Remove(key);
                Free(entry);
            }
        }
    }

    /// <summary>Deletes the entry's files, now or (when its rendering is still running) as soon as it finishes.</summary>
    private static void Free(Entry entry) =>
        entry.Build.ContinueWith(t => t.Result.Files.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void Dispose()
    {
        _sweeper?.Dispose();
        lock (_lock)
        {
            foreach (var entry in _entries.Values.Where(e => e.Users == 0))
            {
                Free(entry);
            }

            _entries.Clear();
        }
    }

    private sealed class Entry(Task<SharedReport> build, DateTimeOffset until)
    {
        public Task<SharedReport> Build { get; } = build;
        public DateTimeOffset Until { get; } = until;
        public int Users { get; set; }
    }
}

/// <summary>A run's hold on a shared report; the files stay until every holder has disposed its lease.</summary>
/// <param name="Reused">True when another run had rendered it.</param>
public sealed record SharedReportLease(SharedReport Value, bool Reused, Action Release) : IAsyncDisposable
{
    private int _released;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Release();
        }

        return ValueTask.CompletedTask;
    }
}
