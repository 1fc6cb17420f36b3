namespace CarrierReports.Archive;

/// <summary>
/// One stored period of one subscription: its folder, the run that produced it and each file's size and SHA-256.
/// This is also the shape of the entry's manifest (<c>archive-entry.json</c>).
/// </summary>
/// <param name="Id">12 hex digits, derived from <paramref name="Path"/>; what auditors type into <c>archive get</c>.</param>
/// <param name="Path">Folder relative to the archive root, with '/' separators, e.g. <c>544/monthly-acme/2026-10-01_2026-11-01_day</c>.</param>
/// <param name="Revision">1 for the first files stored for this period; 2, 3, ... when different files came later.</param>
/// <param name="LocalFrom">Period start in <see cref="ArchiveRun.TimeZone"/>.</param>
/// <param name="LocalTo">Period end (excluded) in <see cref="ArchiveRun.TimeZone"/>.</param>
/// <param name="ChainSequence">
/// Position in the subscription's hash chain: 1 for its first chained entry, then 2, 3, ... in the order stored.
/// Null in entries written before the chain existed ("unchained").
/// </param>
/// <param name="PreviousEntrySha256">
/// The entry hash (SHA-256 over the exact bytes of its <c>archive-entry.json</c>) of the subscription's entry with
/// sequence <c>ChainSequence - 1</c>, or <see cref="ArchiveChain.Genesis"/> for sequence 1. Null when unchained.
/// </param>
public sealed record ArchiveEntry(
    string Id,
    string Path,
    int Revision,
    DateTimeOffset StoredAt,
    DateTimeOffset LocalFrom,
    DateTimeOffset LocalTo,
    ArchiveRun Run,
    IReadOnlyList<ArchivedFile> Files,
    long? ChainSequence = null,
    string? PreviousEntrySha256 = null);

/// <summary>One archived file as recorded when it was stored.</summary>
public sealed record ArchivedFile(string FileName, string ContentType, long Bytes, string Sha256);
