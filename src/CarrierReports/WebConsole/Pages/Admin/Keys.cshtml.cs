using System.Globalization;
using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// <c>/admin/keys</c> (admin): API keys without their secrets; create (the key is shown once, on the answer to the
/// form) and revoke after a confirmation (it stops working at once). Audited like <see cref="Web.Admin.KeyEndpoints"/>.
/// </summary>
public sealed class KeysModel(ApiKeyStore store, TimeProvider time) : AdminPageModel(time)
{
    [BindProperty] public string? NewExpires { get; set; }

    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    /// <summary>Shown once, on this answer only.</summary>
    public (string Name, string Token)? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await store.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var role = Roles.Parse(NewRole, nameof(NewRole));
            var scope = CarrierScope.Parse(NewCarriers, nameof(NewCarriers));
            DateTimeOffset? expires = string.IsNullOrWhiteSpace(NewExpires) ? null
                : DateTime.TryParseExact(NewExpires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? new DateTimeOffset(d, TimeSpan.Zero)
                : throw new InputException(nameof(NewExpires), $"'{NewExpires}' is not a date; use yyyy-MM-dd");
            var created = await store.CreateAsync(NewName?.Trim() ?? "", role, scope, expires, Actor.Name,
                WebAudit.Change<ApiKey>(HttpContext, "keys.create", k => k.Id, KeysCommand.Snapshot), cancellationToken);
            Created = (created.Key.Name, created.Token);
            NewName = NewCarriers = NewExpires = null;
            ModelState.Clear();
        }
        catch (InputException ex)
        {
            AddCreateError(ex);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id, Actor.Name, WebAudit.Change<ApiKey>(HttpContext, "keys.revoke", k => k.Id, KeysCommand.Snapshot), cancellationToken);
        return Changed(revoked, $"Key {revoked?.After.Name} ({id}) revoked: it stops working at once.");
    }

    public string State(ApiKey k) => k.RevokedAt is not null ? "revoked" : k.IsExpired(Now) ? "expired" : "active";

    protected override ConfirmStep? StepFor(string action, string target) =>
        action == "revoke" && Keys.FirstOrDefault(k => k.Id == target && k.RevokedAt is null) is { } key
            ? new ConfirmStep($"Revoke the key {key.Name}?",
                [$"Every program that uses the key {key.Name} ({key.Id}) gets 401 Unauthorized from its next call on.",
                 "A revoked key cannot be turned back on: to let the program in again, create a new key here and put it in the program's secret store.",
                 "The key stays in this list as revoked, with who revoked it and when."],
                "Revoke", new Dictionary<string, string> { ["id"] = key.Id }, $"Yes, revoke {key.Name}", ConsoleUrls.Keys)
            : null;

    protected override string CreateField(string field) => field == "expires" ? nameof(NewExpires) : field;
}
