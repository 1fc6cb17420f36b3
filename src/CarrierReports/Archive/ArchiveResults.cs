namespace CarrierReports.Archive;

public enum ArchiveStoreOutcome
{
    /// <summary>A new entry was written.</summary>
    Stored,

    /// <summary>The same files were already stored for this period; nothing was written.</summary>
    AlreadyStored,

    /// <summary>Different files were already stored for this period; these went into a new revision folder beside them.</summary>
    StoredAsRevision,
}

/// <summary>What <see cref="ArchiveStore.StoreAsync"/> did.</summary>
/// <param name="FullPath">Absolute path of the entry's folder.</param>
public sealed record ArchiveStoreResult(ArchiveEntry Entry, ArchiveStoreOutcome Outcome, string FullPath);

public enum ArchiveProblemKind
{
    /// <summary>A file listed in the manifest is not there.</summary>
    Missing,

    /// <summary>A file's size or SHA-256 differs from the manifest.</summary>
    Changed,

    /// <summary>A file is in the entry's folder but not in its manifest.</summary>
    Unexpected,

    /// <summary>The folder has no manifest.</summary>
    NoManifest,

    /// <summary>The manifest is not valid JSON or holds a value that is not allowed (e.g. a file name with a folder in it).</summary>
    BadManifest,

    /// <summary>A symbolic link where the archive holds only real folders and files; it is never followed.</summary>
    Link,

    /// <summary>The subscription's hash chain does not link up: an entry was removed, rewritten or inserted.</summary>
    ChainBroken,

    /// <summary>A file's size or SHA-256 in the manifest differs from what the run ledger recorded at delivery.</summary>
    LedgerMismatch,

    /// <summary>The run ledger records an archived entry that is not in the archive (and was not purged).</summary>
    EntryMissing,

    /// <summary>An entry in the archive that no run in the ledger refers to.</summary>
    NotInLedger,
}

/// <summary>The newest link of one subscription's hash chain; an auditor keeps it offline to detect a rewrite of everything.</summary>
/// <param name="Sequence">The chain position of the head.</param>
/// <param name="EntrySha256">SHA-256 over the head entry's <c>archive-entry.json</c> bytes.</param>
/// <param name="Path">The head entry's folder, or null when the head was purged.</param>
public sealed record ArchiveChainHead(string Subscription, long Sequence, string EntrySha256, string? Path);

/// <summary>Something in the archive that does not match what was stored.</summary>
/// <param name="Path">The entry folder relative to the root.</param>
/// <param name="FileName">The file concerned; null for a problem of the whole entry.</param>
public sealed record ArchiveProblem(string? EntryId, string Path, string? FileName, ArchiveProblemKind Kind, string Detail);

/// <summary>Outcome of checking the whole archive.</summary>
public sealed record ArchiveVerifyResult(int Entries, int Files, IReadOnlyList<ArchiveProblem> Problems)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>One head per subscription with chained entries, by subscription.</summary>
    public IReadOnlyList<ArchiveChainHead> Heads { get; init; } = [];

    /// <summary>Entries written before the hash chain existed; checked against their manifest and the ledger only.</summary>
    public int Unchained { get; init; }

    /// <summary>Ledger entries not on disk because <c>archive purge</c> removed them (per the purge log).</summary>
    public int Purged { get; init; }

    /// <summary>False when verify ran without the run ledger (the archive was then only checked against itself).</summary>
    public bool LedgerChecked { get; init; }
}

/// <summary>Entries with a readable manifest, and whatever in the archive could not be read as one.</summary>
public sealed record ArchiveListing(IReadOnlyList<ArchiveEntry> Entries, IReadOnlyList<ArchiveProblem> Problems);

/// <summary>One archived file as the run ledger (<c>cr_run_artifacts</c>) recorded it at delivery.</summary>
/// <param name="EntryPath">The entry folder relative to the archive root.</param>
public sealed record LedgerFile(string RunId, string EntryPath, string FileName, long Bytes, string Sha256);

/// <summary>Outcome of copying an entry out: either every file (checked) or none, with the reasons.</summary>
public sealed record ArchiveExportResult(ArchiveEntry Entry, IReadOnlyList<string> WrittenPaths, IReadOnlyList<ArchiveProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>What the retention age of an entry is measured from.</summary>
public enum ArchiveAge
{
    /// <summary>The end of the reported period.</summary>
    PeriodEnd,

    /// <summary>When the entry was stored.</summary>
    StoredAt,
}
