using System.Globalization;
using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// <c>/admin/keys</c> (admin): API keys without their secrets; create (the key is shown once, on the answer to the
/// form) and revoke (it stops working at once). Audited like <see cref="Web.Admin.KeyEndpoints"/>.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class KeysModel(ApiKeyStore store, TimeProvider time) : ConsolePageModel
{
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewRole { get; set; } = "viewer";
    [BindProperty] public string? NewCarriers { get; set; }
    [BindProperty] public string? NewExpires { get; set; }

    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Shown once, on this answer only.</summary>
    public (string Name, string Token)? Created { get; private set; }

    [TempData] public string? Message { get; set; }

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
            var field = ex.Field switch { "name" => nameof(NewName), "role" => nameof(NewRole), "carriers" => nameof(NewCarriers), "expires" => nameof(NewExpires), _ => ex.Field };
            ModelState.AddModelError(field, ex.Reason);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id, Actor.Name, WebAudit.Change<ApiKey>(HttpContext, "keys.revoke", k => k.Id, KeysCommand.Snapshot), cancellationToken);
        if (revoked is null)
        {
            return NotFound();
        }

        Message = $"Key {revoked.Value.After.Name} ({id}) revoked: it stops working at once.";
        return RedirectToPage();
    }

    public string State(ApiKey k) => k.RevokedAt is not null ? "revoked" : k.IsExpired(Now) ? "expired" : "active";
}
