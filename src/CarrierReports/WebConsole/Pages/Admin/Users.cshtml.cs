using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// <c>/admin/users</c> (admin): create a user (the one-time password is shown once, on the page that answers the form),
/// disable (ends their sessions at once), enable, reset the password. Every change is audited in its own transaction,
/// exactly as <see cref="Web.Admin.UserEndpoints"/> does.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class UsersModel(UserStore store, TimeProvider time) : ConsolePageModel
{
    public static readonly IReadOnlyList<Role> Assignable = [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin];

    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewRole { get; set; } = "viewer";
    [BindProperty] public string? NewCarriers { get; set; }

    public IReadOnlyList<UserAccount> Users { get; private set; } = [];
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Shown once, on this answer only; never stored or logged.</summary>
    public (string User, string Password)? OneTime { get; private set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await store.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var role = Roles.Parse(NewRole, nameof(NewRole));
            var scope = CarrierScope.Parse(NewCarriers, nameof(NewCarriers));
            var created = await store.AddAsync(NewName?.Trim() ?? "", role, scope, null, Audit("users.add"), cancellationToken);
            OneTime = (created.User.Name, created.OneTimePassword!);
            NewName = NewCarriers = null;
            ModelState.Clear();
        }
        catch (InputException ex)
        {
            ModelState.AddModelError(ex.Field switch { "name" => nameof(NewName), "role" => nameof(NewRole), "carriers" => nameof(NewCarriers), _ => ex.Field }, ex.Reason);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string name, CancellationToken cancellationToken) =>
        Changed(name, await store.DisableAsync(name, Audit("users.disable"), cancellationToken), "disabled; their open sessions have ended");

    public async Task<IActionResult> OnPostEnableAsync(string name, CancellationToken cancellationToken) =>
        Changed(name, await store.EnableAsync(name, Audit("users.enable"), cancellationToken), "enabled (and any lockout cleared)");

    public async Task<IActionResult> OnPostResetAsync(string name, CancellationToken cancellationToken)
    {
        var reset = await store.SetPasswordAsync(name, null, Audit("users.reset-password"), cancellationToken);
        if (reset is null)
        {
            return NotFound();
        }

        OneTime = (reset.User.Name, reset.OneTimePassword!);
        await OnGetAsync(cancellationToken);
        return Page();
    }

    private IActionResult Changed(string name, (UserAccount Before, UserAccount After)? change, string what)
    {
        if (change is null)
        {
            return NotFound();
        }

        Message = $"User {name} {what}.";
        return RedirectToPage();
    }

    private CarrierReports.Audit.AuditChange<UserAccount> Audit(string action) => WebAudit.Change<UserAccount>(HttpContext, action, u => u.Name, UsersCommand.Snapshot);
}
