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

    /// <summary>The folder has no readable manifest.</summary>
    NoManifest,
}

/// <summary>Something in the archive that does not match what was stored.</summary>
/// <param name="Path">The entry folder relative to the root.</param>
/// <param name="FileName">The file concerned; null for a problem of the whole entry.</param>
public sealed record ArchiveProblem(string? EntryId, string Path, string? FileName, ArchiveProblemKind Kind, string Detail);

/// <summary>Outcome of checking the whole archive.</summary>
public sealed record ArchiveVerifyResult(int Entries, int Files, IReadOnlyList<ArchiveProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

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
