using System.Collections.Concurrent;

namespace CarrierReports.Archive;

/// <summary>
/// Serialises appending to one subscription's chain, so two stores cannot both attach to the same head (a fork).
/// Inside one process a semaphore does it; across processes sharing the archive, an exclusive lock on
/// <c>.locks/{subscription}.lock</c> (.NET takes it with flock on Unix, so a dead process releases it).
/// </summary>
internal sealed class ArchiveChainLock : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _file;

    private ArchiveChainLock(SemaphoreSlim gate, FileStream file) => (_gate, _file) = (gate, file);

    public static async Task<ArchiveChainLock> AcquireAsync(string realRoot, string subscription, TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = ArchiveFs.EnsureFolder(realRoot, ".locks");
        var path = Path.Combine(folder, ArchivePaths.Sanitize(subscription, "run:subscription") + ".lock");
        var gate = InProcess.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                ArchiveFs.RefuseLink(path);
                try
                {
                    return new ArchiveChainLock(gate, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process holds it: it is storing an entry of this subscription, which takes moments.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _gate.Release();
    }
}
