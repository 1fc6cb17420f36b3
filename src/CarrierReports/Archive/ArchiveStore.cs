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
/// the same period still cannot overwrite each other, because the rename fails when the target exists. Each new entry
/// is appended to its subscription's hash chain (<see cref="ArchiveChain"/>) under a per-subscription lock. The root may
/// be a symbolic link (resolved once per operation); below it every link is refused and never followed.
/// </remarks>
public sealed class ArchiveStore(IOptions<ArchiveOptions> options, TimeProvider time, ILogger<ArchiveStore> logger)
{
    /// <summary>The manifest inside every entry folder.</summary>
    public const string ManifestName = "archive-entry.json";

    internal const string StagingFolder = ".staging";
    private const int MaxRevisions = 999;

    public string Root { get; } = Path.GetFullPath(options.Value.Root);

    /// <summary>Absolute folder of an entry.</summary>
    public string FullPath(ArchiveEntry entry) => ArchivePaths.Under(Root, entry.Path, "path");

    /// <summary>
    /// Stores <paramref name="files"/> for the run's period. Storing the same files again returns the existing entry
    /// (<see cref="ArchiveStoreOutcome.AlreadyStored"/>); different files never replace it but go to a new revision.
    /// </summary>
    public async Task<ArchiveStoreResult> StoreAsync(ArchiveRun run, IReadOnlyList<Artifact> files, CancellationToken cancellationToken)
    {
        var (baseFolder, localFrom, localTo) = ArchiveLayout.Locate(run);
        var names = ArchiveLayout.FileNames(files);
        var wanted = files.Select((f, i) => new ArchivedFile(names[i], f.ContentType, f.Length, f.Sha256)).ToList();
        Directory.CreateDirectory(Root);
        var realRoot = ArchiveFs.RealPath(Root);
        await using var chainLock = await ArchiveChainLock.AcquireAsync(realRoot, run.Subscription, time, cancellationToken);
        var parent = ArchiveFs.EnsureFolder(realRoot, baseFolder[..baseFolder.LastIndexOf('/')]);
        if (!ArchiveFs.IsInside(realRoot, parent))
        {
            // Cannot happen after EnsureFolder refused every link; checked on real paths all the same.
            throw new IOException($"'{parent}' resolves outside the archive root '{realRoot}' ({ArchiveOptions.Section}:Root)");
        }

        for (var revision = 1; revision <= MaxRevisions; revision++)
        {
            var relative = revision == 1 ? baseFolder : $"{baseFolder}-r{revision}";
            var full = ArchivePaths.Under(realRoot, relative, "run");
            ArchiveFs.RefuseLink(full);
            if (ArchiveFs.Exists(full))
            {
                var (existing, _) = await ArchiveManifest.ReadAsync(full, relative, cancellationToken);
                if (existing is not null && SameFiles(existing.Entry.Files, wanted) && (await ArchiveVerifier.CheckFilesAsync(existing, cancellationToken)).Count == 0)
                {
                    Log.AlreadyStored(logger, existing.Entry.Id, relative);
                    return new ArchiveStoreResult(existing.Entry, ArchiveStoreOutcome.AlreadyStored, full);
                }

                continue;
            }

            var (sequence, previous) = await ChainHeadAsync(realRoot, run.Subscription, cancellationToken);
            var entry = new ArchiveEntry(ArchivePaths.EntryId(relative), relative, revision, time.GetUtcNow(), localFrom, localTo, run, wanted, sequence + 1, previous);
            if (!await TryWriteAsync(realRoot, entry, files, full, cancellationToken))
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
    public async Task<IReadOnlyList<ArchiveEntry>> ListAsync(CancellationToken cancellationToken) =>
        (await ListWithProblemsAsync(cancellationToken)).Entries;

    /// <summary>Every readable entry, and each folder, manifest or link that could not be read as one (never skipped silently).</summary>
    public async Task<ArchiveListing> ListWithProblemsAsync(CancellationToken cancellationToken)
    {
        var scan = await ArchiveScan.RunAsync(RealRoot(), null, cancellationToken);
        return new ArchiveListing([.. scan.Entries.Select(e => e.Entry)], scan.Problems);
    }

    /// <summary>The entry with this id; an <see cref="InputException"/> naming <c>id</c> when there is none.</summary>
    public async Task<ArchiveEntry> GetAsync(string id, CancellationToken cancellationToken) => (await FindAsync(id, cancellationToken)).Entry;

    private async Task<ScannedEntry> FindAsync(string id, CancellationToken cancellationToken)
    {
        var key = id.Trim().ToLowerInvariant();
        if (!ArchivePaths.IsEntryId(key))
        {
            throw new InputException("id", $"'{id}' is not an archive entry id (12 hex digits, as shown by 'archive list')");
        }

        var scan = await ArchiveScan.RunAsync(RealRoot(), null, cancellationToken);
        var matches = scan.Entries.Where(e => e.Entry.Id == key).ToList();
        if (matches.Count == 0 && scan.Problems.FirstOrDefault(p => p.EntryId == key) is { } damaged)
        {
            throw new InvalidDataException($"archive entry {key} ({damaged.Path}/{damaged.FileName ?? ""}) cannot be read: {damaged.Detail}");
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException("id", $"no archive entry has id '{key}' (see 'archive list')"),
            _ => throw new InputException("id", $"'{key}' matches {matches.Count} entries: {string.Join(", ", matches.Select(m => m.Entry.Path))}"),
        };
    }

    /// <inheritdoc cref="ExportAsync(string, string, bool, CancellationToken)"/>
    public Task<ArchiveExportResult> ExportAsync(string id, string outDir, CancellationToken cancellationToken) =>
        ExportAsync(id, outDir, force: false, cancellationToken);

    /// <summary>
    /// Copies an entry's files, and its manifest as <c>{id}.archive-entry.json</c>, into <paramref name="outDir"/>,
    /// checking each file's SHA-256 while it is copied. If any file is missing or changed, nothing is left in
    /// <paramref name="outDir"/>. An existing file there is replaced only with <paramref name="force"/>.
    /// </summary>
    public async Task<ArchiveExportResult> ExportAsync(string id, string outDir, bool force, CancellationToken cancellationToken) =>
        await ArchiveExporter.ExportAsync(await FindAsync(id, cancellationToken), outDir, force, cancellationToken);

    /// <summary>Checks the archive against itself only (manifests and chains); see the overload taking the ledger.</summary>
    public Task<ArchiveVerifyResult> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(null, cancellationToken);

    /// <summary>
    /// Recomputes the hash of every file, walks each subscription's hash chain and, with <paramref name="ledger"/>,
    /// compares every entry with what the run ledger recorded at delivery. Reports whatever does not match.
    /// </summary>
    public async Task<ArchiveVerifyResult> VerifyAsync(IReadOnlyList<LedgerFile>? ledger, CancellationToken cancellationToken)
    {
        var realRoot = RealRoot();
        var scan = await ArchiveScan.RunAsync(realRoot, null, cancellationToken);
        var (purged, purgeProblems) = await ArchivePurgeLog.ReadAsync(realRoot, cancellationToken);
        var problems = new List<ArchiveProblem>(scan.Problems);
        problems.AddRange(purgeProblems);
        foreach (var e in scan.Entries)
        {
            problems.AddRange(await ArchiveVerifier.CheckFilesAsync(e, cancellationToken));
        }

        var heads = new List<ArchiveChainHead>();
        var purgedBySubscription = purged.ToLookup(p => p.Subscription, StringComparer.Ordinal);
        var subscriptions = scan.Entries.Select(e => e.Entry.Run.Subscription).Concat(purged.Select(p => p.Subscription)).Distinct().Order(StringComparer.Ordinal);
        foreach (var subscription in subscriptions)
        {
            var entries = scan.Entries.Where(e => e.Entry.Run.Subscription == subscription).ToList();
            if (ArchiveChain.Walk(subscription, entries, [.. purgedBySubscription[subscription]], problems) is { } head)
            {
                heads.Add(head);
            }
        }

        if (ledger is not null)
        {
            var unreadable = scan.Problems.Where(p => p.EntryId is not null).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(ArchiveVerifier.CompareWithLedger(scan.Entries, unreadable, ledger, purged));
        }

        foreach (var p in problems)
        {
            Log.Problem(logger, p.Path, p.FileName, p.Kind, p.Detail);
        }

        return new ArchiveVerifyResult(scan.Entries.Count, scan.Entries.Sum(e => e.Entry.Files.Count), problems)
        {
            Heads = heads,
            Unchained = scan.Entries.Count(e => e.Entry.ChainSequence is null),
            Purged = purged.Count,
            LedgerChecked = ledger is not null,
        };
    }

    /// <summary>
    /// Deletes entries whose period ended (or which were stored, per <paramref name="age"/>) more than
    /// <paramref name="olderThan"/> ago, and returns them. With <paramref name="dryRun"/> nothing is deleted. Each
    /// deletion is written to the purge log first; links are never followed, only refused (and logged).
    /// </summary>
    public Task<IReadOnlyList<ArchiveEntry>> PurgeAsync(TimeSpan olderThan, ArchiveAge age, bool dryRun, CancellationToken cancellationToken) =>
        ArchivePurger.PurgeAsync(RealRoot(), time.GetUtcNow() - olderThan, age, dryRun, logger, time, cancellationToken);

    private string? RealRoot() => Directory.Exists(Root) ? ArchiveFs.RealPath(Root) : null;

    private async Task<bool> TryWriteAsync(string realRoot, ArchiveEntry entry, IReadOnlyList<Artifact> files, string target, CancellationToken cancellationToken)
    {
        // A fresh folder inside the (link-checked) staging folder: every file below is created new, so no write and
        // no mode change can go through a link planted in advance.
        var staging = Path.Combine(ArchiveFs.EnsureFolder(realRoot, StagingFolder), Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                await using var source = files[i].OpenRead();
                await DurableFile.WriteAsync(Path.Combine(staging, entry.Files[i].FileName), source, files[i].Sha256, cancellationToken);
            }

            using var manifest = new MemoryStream(ArchiveManifest.Serialize(entry), writable: false);
            await DurableFile.WriteAsync(Path.Combine(staging, ManifestName), manifest, null, cancellationToken);
            try
            {
                // Directory.Move refuses an existing target, so an entry is never replaced or merged into.
                Directory.Move(staging, target);
            }
            catch (IOException) when (ArchiveFs.Exists(target))
            {
                return false;
            }

            return true;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                ArchiveFs.DeleteTree(staging);
            }
        }
    }

    /// <summary>The head of the subscription's chain: its entries on disk (in every carrier folder) and those purged.</summary>
    private static async Task<(long Sequence, string EntrySha256)> ChainHeadAsync(string realRoot, string subscription, CancellationToken cancellationToken)
    {
        var scan = await ArchiveScan.RunAsync(realRoot, ArchivePaths.Sanitize(subscription, "run:subscription"), cancellationToken);
        var (purged, _) = await ArchivePurgeLog.ReadAsync(realRoot, cancellationToken);
        return ArchiveChain.Head(
            scan.Entries.Where(e => e.Entry.Run.Subscription == subscription),
            purged.Where(p => p.Subscription == subscription));
    }

    private static bool SameFiles(IReadOnlyList<ArchivedFile> a, IReadOnlyList<ArchivedFile> b) =>
        a.Count == b.Count && a.OrderBy(f => f.FileName, StringComparer.Ordinal).Zip(b.OrderBy(f => f.FileName, StringComparer.Ordinal))
            .All(p => p.First.FileName == p.Second.FileName && p.First.Sha256 == p.Second.Sha256 && p.First.Bytes == p.Second.Bytes);
}
