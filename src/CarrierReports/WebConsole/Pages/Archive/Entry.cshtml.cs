using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Archive;

/// <summary>
/// <c>/archive/{entry}</c> (auditor, admin): one entry's files with size and SHA-256, download links, and a check of
/// this entry. Viewing is audited (<c>archive.view</c>), as over the API; an entry outside the scope does not exist.
/// </summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class ArchiveEntryModel(ArchiveStore store, AuditTrail trail) : ConsolePageModel
{
    public ArchiveEntry Entry { get; private set; } = null!;
    public ArchiveVerifyView? Verification { get; private set; }

    public async Task<IActionResult> OnGetAsync(string entry, CancellationToken cancellationToken)
    {
        if (await FindAsync(store, entry, Actor.Scope, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        Entry = found;
        await trail.AppendAsync(new AuditRecord(Actor, "archive.view", found.Id, ClientAddress: HttpContext.ClientAddress()), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(string entry, [FromServices] ArchivedArtifacts ledger, CancellationToken cancellationToken)
    {
        if (await FindAsync(store, entry, Actor.Scope, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        Entry = found;
        var result = await store.VerifyAsync(await ledger.ListAsync(cancellationToken), cancellationToken);
        var problems = result.Problems.Where(p => p.EntryId == found.Id || p.Path == found.Path).Select(ArchiveProblemView.From).ToList();
        await trail.AppendAsync(new AuditRecord(Actor, "archive.verify", found.Id, ClientAddress: HttpContext.ClientAddress(),
            Outcome: problems.Count == 0 ? AuditRecord.Success : "problems"), cancellationToken);
        Verification = new ArchiveVerifyView(problems.Count == 0, 1, found.Files.Count, result.LedgerChecked, problems);
        return Page();
    }

    /// <summary>The entry with this id inside the scope; null otherwise (also for an id that is not one), as the API finds it.</summary>
    internal static async Task<ArchiveEntry?> FindAsync(ArchiveStore store, string id, CarrierReports.Access.CarrierScope scope, CancellationToken cancellationToken)
    {
        var key = id.Trim().ToLowerInvariant();
        var entry = (await store.ListAsync(cancellationToken)).FirstOrDefault(e => e.Id == key);
        return entry is not null && scope.Allows(entry.Run.Carrier) ? entry : null;
    }
}
