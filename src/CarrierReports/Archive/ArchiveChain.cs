namespace CarrierReports.Archive;

/// <summary>
/// The hash chain of one subscription's entries. Entry <c>n</c>'s manifest holds <c>previousEntrySha256</c> = SHA-256 of
/// the exact bytes of entry <c>n-1</c>'s <c>archive-entry.json</c> (the <see cref="Genesis"/> value for n = 1). Since
/// every manifest holds the size and SHA-256 of each of its files, changing, removing or inserting any entry but the
/// newest breaks the link of the entry after it; changing the newest changes the head, which an auditor keeps offline.
/// </summary>
internal static class ArchiveChain
{
    /// <summary>The "previous entry" of the first entry of a chain.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The newest link among the entries on disk and those purged: where the next entry attaches.</summary>
    public static (long Sequence, string EntrySha256) Head(IEnumerable<ScannedEntry> entries, IEnumerable<PurgedEntry> purged)
    {
        var links = entries.Where(e => e.Entry.ChainSequence is not null).Select(e => (e.Entry.ChainSequence!.Value, e.EntrySha256))
            .Concat(purged.Where(p => p.ChainSequence is not null).Select(p => (p.ChainSequence!.Value, p.EntrySha256)));
        return links.DefaultIfEmpty((0, Genesis)).MaxBy(l => l.Item1);
    }

    /// <summary>
    /// Checks every link of one subscription's chain and returns its head (null when it has no chained entry). Each
    /// problem names the entry whose link does not hold.
    /// </summary>
    public static ArchiveChainHead? Walk(string subscription, IReadOnlyList<ScannedEntry> entries, IReadOnlyList<PurgedEntry> purged, List<ArchiveProblem> problems)
    {
        var chained = entries.Where(e => e.Entry.ChainSequence is not null).OrderBy(e => e.Entry.ChainSequence).ToList();
        var purgedLinks = purged.Where(p => p.ChainSequence is not null).ToList();
        if (chained.Count == 0 && purgedLinks.Count == 0)
        {
            return null;
        }

        var bySequence = chained.ToLookup(e => e.Entry.ChainSequence!.Value);
        var purgedBySequence = purgedLinks.GroupBy(p => p.ChainSequence!.Value).ToDictionary(g => g.Key, g => g.Last());
        foreach (var group in bySequence.Where(g => g.Count() > 1))
        {
            foreach (var e in group)
            {
                problems.Add(Broken(e, $"{group.Count()} entries of '{subscription}' claim chain position {group.Key}: the chain was forked or an entry was inserted"));
            }
        }

        foreach (var e in chained)
        {
            var sequence = e.Entry.ChainSequence!.Value;
            var previous = e.Entry.PreviousEntrySha256!;
            if (sequence == 1)
            {
                if (previous != Genesis)
                {
                    problems.Add(Broken(e, $"is chain position 1 of '{subscription}' but names a previous entry ({previous})"));
                }

                continue;
            }

            var before = bySequence[sequence - 1].ToList();
            if (before.Count == 1 && before[0].EntrySha256 == previous)
            {
                continue;
            }

            if (before.Count == 0 && purgedBySequence.TryGetValue(sequence - 1, out var gone) && gone.EntrySha256 == previous)
            {
                continue;
            }

            problems.Add(Broken(e, before.Count switch
            {
                0 => $"chain position {sequence - 1} of '{subscription}' (SHA-256 {previous}) is not in the archive and was not purged: it was removed",
                1 => $"names previous entry SHA-256 {previous}, but chain position {sequence - 1} ({before[0].Entry.Path}) has SHA-256 {before[0].EntrySha256}: one of them was rewritten",
                _ => $"chain position {sequence - 1} of '{subscription}' is claimed by {before.Count} entries",
            }));
        }

        var head = chained.LastOrDefault();
        var purgedHead = purgedLinks.MaxBy(p => p.ChainSequence);
        return purgedHead is not null && (head is null || purgedHead.ChainSequence > head.Entry.ChainSequence)
            ? new ArchiveChainHead(subscription, purgedHead.ChainSequence!.Value, purgedHead.EntrySha256, null)
            : new ArchiveChainHead(subscription, head!.Entry.ChainSequence!.Value, head.EntrySha256, head.Entry.Path);
    }

    private static ArchiveProblem Broken(ScannedEntry e, string detail) =>
        new(e.Entry.Id, e.Entry.Path, ArchiveStore.ManifestName, ArchiveProblemKind.ChainBroken, detail);
}
