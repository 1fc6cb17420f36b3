using CarrierReports.Recipients;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Recipients;

/// <summary>One subscription an address receives, as the lookup lists it.</summary>
public sealed record ReceivingRow(StoredSubscription Stored, IReadOnlyList<string> As, LastDelivery? Last)
{
    public Subscription Subscription => Stored.Subscription;
}

/// <summary>
/// <c>/recipients</c> (operator, auditor, admin): every subscription in scope an address receives; operators and admins
/// replace or remove it everywhere at once, after a confirmation that lists each change. The confirmation carries the
/// entity tag of each subscription it showed ("seen", as in the API), so a subscription changed meanwhile refuses the
/// whole change instead of editing what nobody saw.
/// </summary>
public sealed class RecipientsModel(SubscriptionStore store, SubscriptionCatalog catalog, SubscriptionHistory history, RecipientDeliveries deliveries)
    : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string? Address { get; set; }

    /// <summary>"replace" or "remove": show the confirmation of that change.</summary>
    [BindProperty(SupportsGet = true)] public string? Change { get; set; }

    [BindProperty(SupportsGet = true)] public string? With { get; set; }

    [BindProperty] public Dictionary<string, string> Seen { get; set; } = [];

    public IReadOnlyList<ReceivingRow> Rows { get; private set; } = [];
    public bool MayChange => May(Policies.Operator);
    public IEnumerable<ReceivingRow> Editable => Rows.Where(r => !r.Stored.ReadOnly);
    public string Key => Address?.Trim().ToLowerInvariant() ?? "";

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!DefinitionView.SeesAddresses(Actor.Role))
        {
            return StatusCode(403);
        }

        if (!string.IsNullOrWhiteSpace(Address))
        {
            await LoadAsync(cancellationToken);
        }

        if (Change is not null && !ConfirmationValid())
        {
            Change = null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!MayChange)
        {
            return StatusCode(403);
        }

        var replacement = Change == "replace" ? With?.Trim() : null;
        try
        {
            var who = new SubscriptionActor(Actor, HttpContext.ClientAddress());
            var changed = await store.ReplaceRecipientAsync(Key, replacement, Seen, who, cancellationToken);
            Message = replacement is null
                ? $"Removed {Key} from {changed.Count} subscription(s): {string.Join(", ", changed.Select(s => s.Subscription.Id))}."
                : $"Replaced {Key} by {replacement} in {changed.Count} subscription(s): {string.Join(", ", changed.Select(s => s.Subscription.Id))}.";
            return Redirect(ConsoleUrls.With(ConsoleUrls.Recipients, ("address", replacement ?? Key)));
        }
        catch (SubscriptionException ex)
        {
            ModelState.AddModelError(nameof(With), string.Join(" ", ex.Errors));
        }
        catch (SubscriptionChangeException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Kind == SubscriptionChangeKind.Stale
                ? $"Nothing was changed: {ex.Message}. The list below is current again; check it and confirm once more."
                : $"Nothing was changed: {ex.Message}.");
            Change = null;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private bool ConfirmationValid()
    {
        if (!MayChange || Change is not ("replace" or "remove") || !Editable.Any())
        {
            return false;
        }

        if (Change == "replace" && (string.IsNullOrWhiteSpace(With) || !MimeKit.MailboxAddress.TryParse(With.Trim(), out var parsed) || !parsed.Address.Contains('@', StringComparison.Ordinal)))
        {
            ModelState.AddModelError(nameof(With), $"'{With}' is not an e-mail address; enter the address that takes its place, e.g. new.noc@example.com");
            return false;
        }

        return true;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var last = await deliveries.LatestAsync(Key, cancellationToken);
        // The subscriptions reused for a few seconds, and the versions of the matches only: loading every subscription
        // and every version per lookup took about a second at 10,000. Replacing re-reads them all and checks the versions.
        var matches = (await catalog.LoadRecentAsync(cancellationToken))
            .Where(s => Actor.Scope.Allows(s.Carrier) && s.Addresses.Contains(Key))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        var versions = await history.LatestVersionsAsync([.. matches.Select(s => s.Id)], cancellationToken);
        Rows = [.. matches.Select(s => new ReceivingRow(new StoredSubscription(s, versions.GetValueOrDefault(s.Id)), Kinds(s.Definition.Recipients),
            last.GetValueOrDefault(s.Id)))];
    }

    private IReadOnlyList<string> Kinds(SubscriptionRecipients r)
    {
        bool Has(List<string> list) => list.Any(a => MimeKit.MailboxAddress.TryParse(a, out var p) && p.Address.Equals(Key, StringComparison.OrdinalIgnoreCase));
        return [.. new[] { ("to", r.To), ("cc", r.Cc), ("bcc", r.Bcc) }.Where(k => Has(k.Item2)).Select(k => k.Item1)];
    }
}
