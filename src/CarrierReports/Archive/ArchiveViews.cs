namespace CarrierReports.Archive;

/// <summary>An archive entry as the API lists it; <see cref="Files"/> carry the size and SHA-256 recorded when stored.</summary>
public sealed record ArchiveEntryView(string Id, string Path, int Revision, string Carrier, string Subscription, string RunId,
    DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string TimeZone, DateTimeOffset StoredAt, long? ChainSequence, IReadOnlyList<ArchivedFile> Files)
{
    public static ArchiveEntryView From(ArchiveEntry e) =>
        new(e.Id, e.Path, e.Revision, e.Run.Carrier, e.Run.Subscription, e.Run.RunId, e.Run.UtcFrom, e.Run.UtcTo, e.Run.TimeZone, e.StoredAt,
            e.ChainSequence, e.Files);
}

public sealed record ArchiveSearchView(IReadOnlyList<ArchiveEntryView> Items, int Unreadable);

/// <summary>The result of <c>archive verify</c> over HTTP: what was checked and every problem found.</summary>
public sealed record ArchiveVerifyView(bool Ok, int Entries, int Files, bool LedgerChecked, IReadOnlyList<ArchiveProblemView> Problems);

public sealed record ArchiveProblemView(string? EntryId, string Path, string? FileName, string Kind, string Detail)
{
    public static ArchiveProblemView From(ArchiveProblem p) => new(p.EntryId, p.Path, p.FileName, p.Kind.ToString(), p.Detail);
}
