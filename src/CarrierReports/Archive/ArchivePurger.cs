using Microsoft.Extensions.Logging;

namespace CarrierReports.Archive;

/// <summary>Retention for <c>archive purge</c>: each removal is logged to the purge log first, and nothing is deleted through a link.</summary>
internal static class ArchivePurger
{
    public static async Task<IReadOnlyList<ArchiveEntry>> PurgeAsync(string? realRoot, DateTimeOffset cutoff, ArchiveAge age, bool dryRun,
        ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var scan = await ArchiveScan.RunAsync(realRoot, null, cancellationToken);
        foreach (var p in scan.Problems)
        {
            Log.Problem(logger, p.Path, p.FileName, p.Kind, p.Detail);
        }

        var removed = new List<ArchiveEntry>();
        foreach (var scanned in scan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = scanned.Entry;
            if ((age == ArchiveAge.PeriodEnd ? entry.Run.UtcTo : entry.StoredAt) >= cutoff)
            {
                continue;
            }

            removed.Add(entry);
            if (!dryRun)
            {
                await ArchivePurgeLog.AppendAsync(realRoot!, new PurgedEntry(now, entry.Id, entry.Path, entry.Run.Subscription, entry.ChainSequence, scanned.EntrySha256), cancellationToken);
                ArchiveFs.DeleteTree(scanned.FullPath);
                Log.Purged(logger, entry.Id, entry.Path, entry.Run.UtcTo, entry.StoredAt);
                RemoveEmptyParents(realRoot!, Path.GetDirectoryName(scanned.FullPath)!);
            }
        }

        if (!dryRun && realRoot is not null)
        {
            RemoveStaleStaging(realRoot, now);
        }

        return removed;
    }

    private static void RemoveEmptyParents(string realRoot, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(realRoot);
        while (!string.Equals(Path.TrimEndingDirectorySeparator(folder), root, StringComparison.Ordinal)
               && folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
               && !ArchiveFs.IsLink(folder) && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    /// <summary>Staging folders left by a crash mid-store; anything a day old is no longer being written.</summary>
    private static void RemoveStaleStaging(string realRoot, DateTimeOffset now)
    {
        var staging = Path.Combine(realRoot, ArchiveStore.StagingFolder);
        if (ArchiveFs.IsLink(staging) || !Directory.Exists(staging))
        {
            return;
        }

        foreach (var info in new DirectoryInfo(staging).EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null)
            {
                File.Delete(info.FullName);
            }
            else if (info is DirectoryInfo && info.LastWriteTimeUtc < now.UtcDateTime.AddDays(-1))
            {
                ArchiveFs.DeleteTree(info.FullName);
            }
        }
    }
}
