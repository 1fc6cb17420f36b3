using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Web;
using CarrierReports.WebConsole.Pages.Runs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Archive;

/// <summary>
/// <c>/archive</c> (auditor, admin): archived reports by carrier, subscription and period, and a check of the whole
/// archive (files against their recorded SHA-256 and the run ledger), audited as the API's <c>archive.verify</c>.
/// </summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class ArchiveIndexModel(ArchiveStore store) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Subscription { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public IReadOnlyList<ArchiveEntry> Entries { get; private set; } = [];
    public int Unreadable { get; private set; }
    public ArchiveVerifyView? Verification { get; private set; }
    public bool Filtered => new[] { Carrier, Subscription, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

    public async Task OnGetAsync(CancellationToken cancellationToken) => await SearchAsync(cancellationToken);

    public async Task<IActionResult> OnPostVerifyAsync([FromServices] ArchivedArtifacts ledger, [FromServices] AuditTrail trail, CancellationToken cancellationToken)
    {
        var result = await store.VerifyAsync(await ledger.ListAsync(cancellationToken), cancellationToken);
        var problems = result.Problems.Where(p => Actor.Scope.IsAll || Actor.Scope.Carriers.Any(c => p.Path.StartsWith(c + "/", StringComparison.Ordinal)))
            .Select(ArchiveProblemView.From).ToList();
        await trail.AppendAsync(new AuditRecord(Actor, "archive.verify", null, ClientAddress: HttpContext.ClientAddress(),
            Outcome: result.Ok ? AuditRecord.Success : "problems"), cancellationToken);
        Verification = new ArchiveVerifyView(problems.Count == 0, result.Entries, result.Files, result.LedgerChecked, problems);
        await SearchAsync(cancellationToken);
        return Page();
    }

    private async Task SearchAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? from, to;
        try
        {
            from = Display.Day(From, nameof(From));
            to = Display.Day(To, nameof(To))?.AddDays(1);
        }
        catch (InputException ex)
        {
            AddFieldError(ex);
            return;
        }

        var listing = await store.ListWithProblemsAsync(cancellationToken);
        Unreadable = listing.Problems.Count;
        Entries = [.. listing.Entries
            .Where(e => Actor.Scope.Allows(e.Run.Carrier) && Match(Carrier, e.Run.Carrier) && Match(Subscription, e.Run.Subscription)
                        && (from is null || e.Run.UtcFrom >= from) && (to is null || e.Run.UtcTo <= to))
            .OrderByDescending(e => e.Run.UtcFrom).ThenBy(e => e.Run.Subscription).ThenByDescending(e => e.Revision)];
    }

    private static bool Match(string? filter, string value) => string.IsNullOrWhiteSpace(filter) || filter.Trim() == value;
}
