using CarrierReports.Cdr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

/// <summary>Progress of a refresh, rebuild or reconciliation: the chunk just written and how far the whole job is.</summary>
public sealed record RollupProgress(DateTimeOffset ChunkFrom, DateTimeOffset ChunkTo, DateTimeOffset From, DateTimeOffset To, long RowsWritten);

/// <summary>
/// Keeps the rollups up to date: refresh (backfill on first use), rebuild of a range, reconciliation of UTC days. Each
/// holds a cluster-wide lock, so a CLI rebuild and the job on any node never write the same slots at once.
/// </summary>
public sealed partial class RollupRefresher(ICdrSlotSource slots, RollupStore store, IOptions<RollupOptions> options, TimeProvider time, ILogger<RollupRefresher> logger)
{
    /// <summary>Advisory lock key of every rollup writer.</summary>
    private const long LockKey = 20_261_201;

    private ICdrSlotSource Slots => slots;

    /// <summary>
    /// Sums <c>[watermark − LateWindow, now)</c> (from the first CDR when there is no watermark yet, or the CDR mapping
    /// changed) in chunks of <see cref="RollupOptions.ChunkDays"/>, each replacing its slots and moving the watermark in
    /// one transaction, so an interrupted backfill continues where it stopped.
    /// </summary>
    /// <returns>The new watermark, or null when there are no CDRs yet.</returns>
    public async Task<DateTimeOffset?> RefreshAsync(IProgress<RollupProgress>? progress, CancellationToken cancellationToken)
    {
        await using var _ = await store.Database.LockAsync(LockKey, cancellationToken);
        var fingerprint = await Slots.FingerprintAsync(cancellationToken);
        var state = await store.ReadStateAsync(cancellationToken);
        if (state is not null && state.Fingerprint != fingerprint)
        {
            Log.MappingChanged(logger);
            await store.ClearAsync(cancellationToken);
            state = null;
        }

        var now = time.GetUtcNow();
        var to = CarrierReports.Cdr.Slots.Floor(now);
        DateTimeOffset from;
        if (state is null)
        {
            if (await Slots.EarliestStartAsync(cancellationToken) is not { } first)
            {
                return null;
            }

            from = CarrierReports.Cdr.Slots.FloorDay(first);
        }
        else
        {
            from = state.Watermark - options.Value.LateWindow;
        }

        from = from < to ? from : to - TimeSpan.FromSeconds(CarrierReports.Cdr.Slots.Seconds);
        var started = time.GetTimestamp();
        long rows;
        if (state is null)
        {
            // A backfill fills the empty table: load it without indexes and build them once at the end, also when
            // the backfill stops half-way (it carries on from its last chunk next time, and reports need the indexes).
            await store.DropIndexesAsync(cancellationToken);
            try
            {
                rows = await WriteChunksAsync(from, to, null, (to, fingerprint, now), progress, cancellationToken);
            }
            finally
            {
                await store.OptimizeAsync(CancellationToken.None);
            }
        }
        else
        {
            rows = await WriteChunksAsync(from, to, null, (to, fingerprint, now), progress, cancellationToken);
        }

        Log.Refreshed(logger, from, to, rows, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return to;
    }

    /// <summary>Sums [from, to) again from raw CDRs, for every carrier or one; the watermark does not move.</summary>
    public async Task<long> RebuildAsync(DateTimeOffset from, DateTimeOffset to, string? carrier, IProgress<RollupProgress>? progress, CancellationToken cancellationToken)
    {
        await using var _ = await store.Database.LockAsync(LockKey, cancellationToken);
        var state = await store.ReadStateAsync(cancellationToken);
        if (state is null || state.Fingerprint != await Slots.FingerprintAsync(cancellationToken))
        {
            throw new InputException("rollups rebuild", "there are no rollups for the current CdrSource mapping yet; run 'rollups refresh' first (it backfills the whole history)");
        }

        return await WriteChunksAsync(from, to, carrier, null, progress, cancellationToken);
    }

    private async Task<long> WriteChunksAsync(DateTimeOffset from, DateTimeOffset to, string? carrier, (DateTimeOffset Watermark, string Fingerprint, DateTimeOffset Now)? watermark,
        IProgress<RollupProgress>? progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? keys = null;
        if (carrier is not null)
        {
            keys = await Slots.CarrierKeysAsync(carrier, cancellationToken)
                   ?? throw new InputException("--carrier", $"'{carrier}' cannot be matched to the carrier column exactly");
        }

        long written = 0;
        var chunk = TimeSpan.FromDays(options.Value.ChunkDays);
        for (var a = from; a < to; a += chunk)
        {
            var b = a + chunk < to ? a + chunk : to;
            var mark = watermark is { } w ? (b, w.Fingerprint, w.Now) : ((DateTimeOffset, string, DateTimeOffset)?)null;
            written += await store.ReplaceAsync(a, b, keys, Slots.SlotSumsAsync(a, b, carrier, cancellationToken), mark, cancellationToken);
            progress?.Report(new RollupProgress(a, b, from, to, written));
        }

        return written;
    }
}
