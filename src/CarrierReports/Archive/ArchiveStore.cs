using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using CarrierReports.Rendering;
using CarrierReports.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Archive;

/// <summary>
/// Write-once archive of delivered files, laid out as <c>{carrier}/{subscription}/{localFrom}_{localTo}_{bucket}</c>
/// under <see cref="ArchiveOptions.Root"/>. An entry appears whole or not at all: it is written into a staging folder,
/// every file flushed to disk and made read-only, then the folder is renamed into place. Existing entries are never
/// changed; different files for the same period become a revision folder (<c>-r2</c>, <c>-r3</c>, ...).
/// </summary>
/// <remarks>
/// One writer per archive root is assumed (the run ledger serialises runs of a subscription); two writers racing for
/// the same period still cannot overwrite each other, because the rename fails when the target exists.
/// </remarks>
public sealed class ArchiveStore(IOptions<ArchiveOptions> options, TimeProvider time, ILogger<ArchiveStore> logger)
{
    /// <summary>The manifest inside every entry folder.</summary>
    public const string ManifestName = "archive-entry.json";

    private const string StagingFolder = ".staging";
    private const int MaxRevisions = 999;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Root { get; } = Path.GetFullPath(options.Value.Root);

    /// <summary>Absolute folder of an entry.</summary>
    public string FullPath(ArchiveEntry entry) => ArchivePaths.Under(Root, entry.Path, "path");

    /// <summary>
    /// Stores <paramref name="files"/> for the run's period. Storing the same files again returns the existing entry
    /// (<see cref="ArchiveStoreOutcome.AlreadyStored"/>); different files never replace it but go to a new revision.
    /// </summary>
    public async Task<ArchiveStoreResult> StoreAsync(ArchiveRun run, IReadOnlyList<Artifact> files, CancellationToken cancellationToken)
    {
        var (baseFolder, localFrom, localTo) = Locate(run);
        if (files.Count == 0)
        {
            throw new InputException("files", "there is nothing to archive");
        }

        var names = new List<string>(files.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < files.Count; i++)
        {
            var field = $"files:{i}:fileName";
            var name = ArchivePaths.Sanitize(files[i].FileName, field);
            if (string.Equals(name, ManifestName, StringComparison.OrdinalIgnoreCase))
            {
                throw new InputException(field, $"'{ManifestName}' is reserved for the archive's own manifest");
            }

            if (!seen.Add(name))
            {
                throw new InputException(field, $"'{files[i].FileName}' is stored as '{name}', which another file already uses");
            }

            names.Add(name);
        }

        var wanted = files.Select((f, i) => new ArchivedFile(names[i], f.ContentType, f.Content.LongLength, f.Sha256)).ToList();
        for (var revision = 1; revision <= MaxRevisions; revision++)
        {
            var relative = revision == 1 ? baseFolder : $"{baseFolder}-r{revision}";
            var full = ArchivePaths.Under(Root, relative, "run");
            if (Directory.Exists(full))
            {
                var existing = await ReadManifestAsync(full, relative, cancellationToken);
                if (existing is not null && SameFiles(existing.Files, wanted) && (await CheckFilesAsync(existing, cancellationToken)).Count == 0)
                {
                    Log.AlreadyStored(logger, existing.Id, relative);
                    return new ArchiveStoreResult(existing, ArchiveStoreOutcome.AlreadyStored, full);
                }

                continue;
            }

            var entry = new ArchiveEntry(ArchivePaths.EntryId(relative), relative, revision, time.GetUtcNow(), localFrom, localTo, run, wanted);
            if (!await TryWriteAsync(entry, files, full, cancellationToken))
            {
                // Another writer created this folder a moment ago: look at what it stored before choosing a revision.
                revision--;
                continue;
            }

            if (revision == 1)
            {
                Log.Stored(logger, files.Count, entry.Id, relative);
                return new ArchiveStoreResult(entry, ArchiveStoreOutcome.Stored, full);
            }

            Log.StoredAsRevision(logger, revision, entry.Id, relative);
            return new ArchiveStoreResult(entry, ArchiveStoreOutcome.StoredAsRevision, full);
        }

        throw new InvalidOperationException($"'{baseFolder}' already has {MaxRevisions} revisions; refusing to add more");
    }

    /// <summary>Every entry with a readable manifest, by carrier, subscription, period and revision.</summary>
    public async Task<IReadOnlyList<ArchiveEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<ArchiveEntry>();
        foreach (var (relative, full) in EntryFolders())
        {
            if (await ReadManifestAsync(full, relative, cancellationToken) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return [.. entries
            .OrderBy(e => e.Run.Carrier, StringComparer.Ordinal)
            .ThenBy(e => e.Run.Subscription, StringComparer.Ordinal)
            .ThenBy(e => e.Run.UtcFrom)
            .ThenBy(e => e.Run.UtcTo)
            .ThenBy(e => e.Revision)];
    }

    /// <summary>The entry with this id; an <see cref="InputException"/> naming <c>id</c> when there is none.</summary>
    public async Task<ArchiveEntry> GetAsync(string id, CancellationToken cancellationToken)
    {
        var key = id.Trim().ToLowerInvariant();
        if (!ArchivePaths.IsEntryId(key))
        {
            throw new InputException("id", $"'{id}' is not an archive entry id (12 hex digits, as shown by 'archive list')");
        }

        var matches = (await ListAsync(cancellationToken)).Where(e => e.Id == key).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException("id", $"no archive entry has id '{key}' (see 'archive list')"),
            _ => throw new InputException("id", $"'{key}' matches {matches.Count} entries: {string.Join(", ", matches.Select(m => m.Path))}"),
        };
    }

    /// <summary>
    /// Copies an entry's files, and its manifest as <c>{id}.archive-entry.json</c>, into <paramref name="outDir"/> after
    /// checking every file against the manifest. If any file is missing or changed, nothing is copied.
    /// </summary>
    public async Task<ArchiveExportResult> ExportAsync(string id, string outDir, CancellationToken cancellationToken)
    {
        var entry = await GetAsync(id, cancellationToken);
        var folder = FullPath(entry);
        var problems = new List<ArchiveProblem>();
        var contents = new List<(string Name, byte[] Bytes)>();
        foreach (var file in entry.Files)
        {
            var path = ArchivePaths.Under(Root, $"{entry.Path}/{file.FileName}", "fileName");
            if (!File.Exists(path))
            {
                problems.Add(Problem(entry, file.FileName, ArchiveProblemKind.Missing, "is listed in the manifest but not in the archive"));
                continue;
            }

            // The bytes handed over are the bytes that were hashed: read once, checked, then written.
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (bytes.LongLength != file.Bytes || sha != file.Sha256)
            {
                problems.Add(Changed(entry, file, bytes.LongLength, sha));
                continue;
            }

            contents.Add((file.FileName, bytes));
        }

        if (problems.Count > 0)
        {
            return new ArchiveExportResult(entry, [], problems);
        }

        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException("--out", $"cannot create folder '{outDir}': {ex.Message}", ex);
        }

        contents.Add(($"{entry.Id}.{ManifestName}", await File.ReadAllBytesAsync(Path.Combine(folder, ManifestName), cancellationToken)));
        var written = new List<string>();
        foreach (var (name, bytes) in contents)
        {
            var path = Path.Combine(outDir, name);
            var temp = path + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, path, overwrite: true);
            written.Add(path);
        }

        return new ArchiveExportResult(entry, written, []);
    }

    /// <summary>Recomputes the hash of every file in the archive and reports whatever does not match its manifest.</summary>
    public async Task<ArchiveVerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        int entries = 0, files = 0;
        var problems = new List<ArchiveProblem>();
        foreach (var (relative, full) in EntryFolders())
        {
            var entry = await ReadManifestAsync(full, relative, cancellationToken);
            if (entry is null)
            {
                problems.Add(new ArchiveProblem(null, relative, null, ArchiveProblemKind.NoManifest, $"has no readable {ManifestName}"));
                continue;
            }

            entries++;
            files += entry.Files.Count;
            problems.AddRange(await CheckFilesAsync(entry, cancellationToken));
        }

        foreach (var p in problems)
        {
            Log.Problem(logger, p.Path, p.FileName, p.Kind, p.Detail);
        }

        return new ArchiveVerifyResult(entries, files, problems);
    }

    /// <summary>
    /// Deletes entries whose period ended (or which were stored, per <paramref name="age"/>) more than
    /// <paramref name="olderThan"/> ago, and returns them. With <paramref name="dryRun"/> nothing is deleted.
    /// </summary>
    public async Task<IReadOnlyList<ArchiveEntry>> PurgeAsync(TimeSpan olderThan, ArchiveAge age, bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - olderThan;
        var removed = new List<ArchiveEntry>();
        foreach (var entry in await ListAsync(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var when = age == ArchiveAge.PeriodEnd ? entry.Run.UtcTo : entry.StoredAt;
            if (when >= cutoff)
            {
                continue;
            }

            removed.Add(entry);
            if (!dryRun)
            {
                var full = FullPath(entry);
                DeleteTree(full);
                Log.Purged(logger, entry.Id, entry.Path, entry.Run.UtcTo, entry.StoredAt);
                RemoveEmptyParents(Path.GetDirectoryName(full)!);
            }
        }

        if (!dryRun)
        {
            // Staging folders left by a crash mid-store; anything a day old is no longer being written.
            var staging = Path.Combine(Root, StagingFolder);
            if (Directory.Exists(staging))
            {
                foreach (var dir in Directory.EnumerateDirectories(staging))
                {
                    if (Directory.GetLastWriteTimeUtc(dir) < now.UtcDateTime.AddDays(-1))
                    {
                        DeleteTree(dir);
                    }
                }
            }
        }

        return removed;
    }

    private static (string Folder, DateTimeOffset LocalFrom, DateTimeOffset LocalTo) Locate(ArchiveRun run)
    {
        if (string.IsNullOrWhiteSpace(run.RunId))
        {
            throw new InputException("run:runId", "is empty");
        }

        if (run.UtcTo <= run.UtcFrom)
        {
            throw new InputException("run:utcTo", $"{run.UtcTo:O} is not after run:utcFrom {run.UtcFrom:O}");
        }

        var zone = Zones.Find(run.TimeZone, "run:timeZone");
        var carrier = ArchivePaths.Sanitize(run.Carrier, "run:carrier");
        var subscription = ArchivePaths.Sanitize(run.Subscription, "run:subscription");
        var bucket = ArchivePaths.Sanitize(run.Bucket, "run:bucket");
        var localFrom = zone.ToLocal(run.UtcFrom);
        var localTo = zone.ToLocal(run.UtcTo);
        return ($"{carrier}/{subscription}/{ArchivePaths.Stamp(localFrom)}_{ArchivePaths.Stamp(localTo)}_{bucket}", localFrom, localTo);
    }

    private async Task<bool> TryWriteAsync(ArchiveEntry entry, IReadOnlyList<Artifact> files, string target, CancellationToken cancellationToken)
    {
        var staging = ArchivePaths.Under(Root, $"{StagingFolder}/{Guid.NewGuid():N}", "archive");
        Directory.CreateDirectory(staging);
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                await WriteDurableAsync(Path.Combine(staging, entry.Files[i].FileName), files[i].Content, cancellationToken);
            }

            await WriteDurableAsync(Path.Combine(staging, ManifestName), JsonSerializer.SerializeToUtf8Bytes(entry, Json), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                // Directory.Move refuses an existing target, so an entry is never replaced or merged into.
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                return false;
            }

            return true;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                DeleteTree(staging);
            }
        }
    }

    private static async Task WriteDurableAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.SetAttributes(path, FileAttributes.ReadOnly);
    }

    private async Task<ArchiveEntry?> ReadManifestAsync(string folder, string relative, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, ManifestName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            var entry = await JsonSerializer.DeserializeAsync<ArchiveEntry>(stream, Json, cancellationToken);
            // The id follows the folder the entry is really in, so a lookup always leads to where the files are.
            return entry is null ? null : entry with { Id = ArchivePaths.EntryId(relative), Path = relative };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<List<ArchiveProblem>> CheckFilesAsync(ArchiveEntry entry, CancellationToken cancellationToken)
    {
        var problems = new List<ArchiveProblem>();
        var folder = FullPath(entry);
        foreach (var file in entry.Files)
        {
            var path = ArchivePaths.Under(Root, $"{entry.Path}/{file.FileName}", "fileName");
            if (!File.Exists(path))
            {
                problems.Add(Problem(entry, file.FileName, ArchiveProblemKind.Missing, "is listed in the manifest but not in the archive"));
                continue;
            }

            await using var stream = File.OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (stream.Length != file.Bytes || sha != file.Sha256)
            {
                problems.Add(Changed(entry, file, stream.Length, sha));
            }
        }

        var listed = entry.Files.Select(f => f.FileName).Append(ManifestName).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (!listed.Contains(name))
            {
                problems.Add(Problem(entry, name, ArchiveProblemKind.Unexpected, "is in the entry's folder but not in its manifest"));
            }
        }

        return problems;
    }

    private static ArchiveProblem Problem(ArchiveEntry entry, string? fileName, ArchiveProblemKind kind, string detail) =>
        new(entry.Id, entry.Path, fileName, kind, detail);

    private static ArchiveProblem Changed(ArchiveEntry entry, ArchivedFile file, long bytes, string sha) =>
        Problem(entry, file.FileName, ArchiveProblemKind.Changed,
            $"has SHA-256 {sha} ({bytes} bytes) but the manifest records {file.Sha256} ({file.Bytes} bytes)");

    private static bool SameFiles(IReadOnlyList<ArchivedFile> a, IReadOnlyList<ArchivedFile> b) =>
        a.Count == b.Count && a.OrderBy(f => f.FileName, StringComparer.Ordinal).Zip(b.OrderBy(f => f.FileName, StringComparer.Ordinal))
            .All(p => p.First.FileName == p.Second.FileName && p.First.Sha256 == p.Second.Sha256 && p.First.Bytes == p.Second.Bytes);

    /// <summary>Entry folders sit exactly three levels down: carrier, subscription, period. Dot-folders are internal.</summary>
    private IEnumerable<(string Relative, string Full)> EntryFolders()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        static IEnumerable<string> Children(string dir) => Directory.EnumerateDirectories(dir)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);

        foreach (var carrier in Children(Root))
        {
            foreach (var subscription in Children(carrier))
            {
                foreach (var period in Children(subscription))
                {
                    yield return ($"{Path.GetFileName(carrier)}/{Path.GetFileName(subscription)}/{Path.GetFileName(period)}", period);
                }
            }
        }
    }

    private static void DeleteTree(string folder)
    {
        // Read-only files block deletion on Windows; on Unix the attribute only removes write bits, harmless here.
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(folder, recursive: true);
    }

    private void RemoveEmptyParents(string folder)
    {
        var root = Root.TrimEnd(Path.DirectorySeparatorChar);
        while (!string.Equals(folder.TrimEnd(Path.DirectorySeparatorChar), root, StringComparison.Ordinal)
               && folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
               && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
