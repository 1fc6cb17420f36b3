namespace CarrierReports.Archive;

/// <summary>
/// Walks the archive: entry folders sit exactly three levels down (carrier, subscription, period); dot-folders are the
/// archive's own. A link at any level is reported and not followed; a folder whose manifest cannot be read is
/// reported with the reason, never skipped silently.
/// </summary>
internal sealed record ArchiveScan(IReadOnlyList<ScannedEntry> Entries, IReadOnlyList<ArchiveProblem> Problems)
{
    /// <param name="realRoot">The root's real path; null when the archive does not exist yet.</param>
    /// <param name="subscriptionFolder">Only this subscription folder (in every carrier), or null for all.</param>
    public static async Task<ArchiveScan> RunAsync(string? realRoot, string? subscriptionFolder, CancellationToken cancellationToken)
    {
        var entries = new List<ScannedEntry>();
        var problems = new List<ArchiveProblem>();
        if (realRoot is null)
        {
            return new ArchiveScan(entries, problems);
        }

        foreach (var (carrier, carrierPath) in Children(realRoot, "", 1, problems))
        {
            foreach (var (subscription, subscriptionPath) in Children(carrierPath, carrier, 2, problems))
            {
                if (subscriptionFolder is not null && !string.Equals(Path.GetFileName(subscriptionPath), subscriptionFolder, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var (period, periodPath) in Children(subscriptionPath, subscription, 3, problems))
                {
                    var (entry, problem) = await ArchiveManifest.ReadAsync(periodPath, period, cancellationToken);
                    if (entry is not null)
                    {
                        entries.Add(entry);
                    }
                    else
                    {
                        problems.Add(problem!);
                    }
                }
            }
        }

        return new ArchiveScan(
            [.. entries
                .OrderBy(e => e.Entry.Run.Carrier, StringComparer.Ordinal)
                .ThenBy(e => e.Entry.Run.Subscription, StringComparer.Ordinal)
                .ThenBy(e => e.Entry.Run.UtcFrom)
                .ThenBy(e => e.Entry.Run.UtcTo)
                .ThenBy(e => e.Entry.Revision)],
            problems);
    }

    private static List<(string Relative, string Full)> Children(string folder, string relative, int level, List<ArchiveProblem> problems)
    {
        var children = new List<(string, string)>();
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (info.Name.StartsWith('.'))
            {
                continue;
            }

            var childRelative = relative.Length == 0 ? info.Name : $"{relative}/{info.Name}";
            if (info.LinkTarget is { } target)
            {
                // At entry level the id is known, so 'archive get <id>' can say why the entry cannot be read.
                problems.Add(new ArchiveProblem(level == 3 ? ArchivePaths.EntryId(childRelative) : null, childRelative, null, ArchiveProblemKind.Link,
                    $"is a symbolic link (to '{target}'); the archive refuses links and does not follow it"));
            }
            else if (info is DirectoryInfo)
            {
                children.Add((childRelative, info.FullName));
            }
        }

        return children;
    }
}
