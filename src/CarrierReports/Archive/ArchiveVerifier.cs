using System.Security.Cryptography;

namespace CarrierReports.Archive;

/// <summary>
/// The checks behind <c>archive verify</c>: each entry's files against its manifest, each manifest against the run
/// ledger, and each subscription's hash chain. Files are hashed as streams, so memory does not grow with their size.
/// </summary>
internal static class ArchiveVerifier
{
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Every listed file against its size and SHA-256, and anything in the folder the manifest does not list.</summary>
    public static async Task<List<ArchiveProblem>> CheckFilesAsync(ScannedEntry scanned, CancellationToken cancellationToken)
    {
        var (entry, folder) = (scanned.Entry, scanned.FullPath);
        var problems = new List<ArchiveProblem>();
        foreach (var file in entry.Files)
        {
            var path = Path.Combine(folder, file.FileName);
            if (new FileInfo(path).LinkTarget is { } target)
            {
                problems.Add(Problem(entry, file.FileName, ArchiveProblemKind.Link, $"is a symbolic link (to '{target}'); not followed"));
                continue;
            }

            if (!File.Exists(path))
            {
                problems.Add(Problem(entry, file.FileName, ArchiveProblemKind.Missing, "is listed in the manifest but not in the archive"));
                continue;
            }

            await using var stream = OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (stream.Position != file.Bytes || sha != file.Sha256)
            {
                problems.Add(Changed(entry, file, stream.Position, sha));
            }
        }

        var listed = entry.Files.Select(f => f.FileName).Append(ArchiveStore.ManifestName).ToHashSet(StringComparer.Ordinal);
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos().Where(i => !listed.Contains(i.Name)).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            problems.Add(info.LinkTarget is not null
                ? Problem(entry, info.Name, ArchiveProblemKind.Link, "is a symbolic link in the entry's folder; not followed")
                : Problem(entry, info.Name, ArchiveProblemKind.Unexpected, "is in the entry's folder but not in its manifest"));
        }

        return problems;
    }

    /// <summary>
    /// Compares the archive with what the ledger recorded at delivery: every ledger entry must be on disk (or purged),
    /// every entry on disk must be in the ledger, and each file's size and SHA-256 must agree.
    /// </summary>
    public static List<ArchiveProblem> CompareWithLedger(IReadOnlyList<ScannedEntry> entries, IReadOnlyCollection<string> unreadable,
        IReadOnlyList<LedgerFile> ledger, IReadOnlyList<PurgedEntry> purged)
    {
        var problems = new List<ArchiveProblem>();
        var onDisk = entries.ToDictionary(e => e.Entry.Path, StringComparer.Ordinal);
        var purgedPaths = purged.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var byEntry = ledger.GroupBy(f => f.EntryPath, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var (path, files) in byEntry.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (onDisk.TryGetValue(path, out var scanned))
            {
                problems.AddRange(CompareEntry(scanned.Entry, files));
            }
            else if (!purgedPaths.Contains(path) && !unreadable.Contains(path))
            {
                var runs = string.Join(", ", files.Select(f => f.RunId).Distinct().Order(StringComparer.Ordinal));
                problems.Add(new ArchiveProblem(ArchivePaths.EntryId(path), path, null, ArchiveProblemKind.EntryMissing,
                    $"is recorded in the run ledger (run {runs}, {files.Select(f => f.FileName).Distinct().Count()} file(s)) but is not in the archive and was not purged"));
            }
        }

        foreach (var e in entries.Where(e => !byEntry.ContainsKey(e.Entry.Path)))
        {
            problems.Add(Problem(e.Entry, null, ArchiveProblemKind.NotInLedger, $"no run in the ledger archived this entry (its manifest names run {e.Entry.Run.RunId})"));
        }

        return problems;
    }

    private static IEnumerable<ArchiveProblem> CompareEntry(ArchiveEntry entry, List<LedgerFile> recorded)
    {
        var manifest = entry.Files.ToDictionary(f => f.FileName, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recordedAs in recorded)
        {
            // The runner records each artifact's own name; the store keeps it under its sanitised name.
            var r = string.IsNullOrWhiteSpace(recordedAs.FileName) ? recordedAs : recordedAs with { FileName = ArchivePaths.Sanitize(recordedAs.FileName, "fileName") };
            names.Add(r.FileName);
            if (!manifest.TryGetValue(r.FileName, out var file))
            {
                yield return Problem(entry, r.FileName, ArchiveProblemKind.Missing, $"was archived by run {r.RunId} (SHA-256 {r.Sha256}) but is not in the entry's manifest");
            }
            else if (file.Sha256 != r.Sha256 || file.Bytes != r.Bytes)
            {
                yield return Problem(entry, r.FileName, ArchiveProblemKind.LedgerMismatch,
                    $"the manifest records SHA-256 {file.Sha256} ({file.Bytes} bytes) but run {r.RunId} recorded {r.Sha256} ({r.Bytes} bytes) at delivery");
            }
        }

        foreach (var file in entry.Files.Where(f => !names.Contains(f.FileName)))
        {
            yield return Problem(entry, file.FileName, ArchiveProblemKind.Unexpected, "is in the entry's manifest but no run in the ledger archived it (added)");
        }
    }

    public static ArchiveProblem Problem(ArchiveEntry entry, string? fileName, ArchiveProblemKind kind, string detail) =>
        new(entry.Id, entry.Path, fileName, kind, detail);

    public static ArchiveProblem Changed(ArchiveEntry entry, ArchivedFile file, long bytes, string sha) =>
        Problem(entry, file.FileName, ArchiveProblemKind.Changed,
            $"has SHA-256 {sha} ({bytes} bytes) but the manifest records {file.Sha256} ({file.Bytes} bytes)");
}
