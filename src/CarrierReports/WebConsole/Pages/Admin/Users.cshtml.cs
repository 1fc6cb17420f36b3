using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// <c>/admin/users</c> (admin): create a user (the one-time password is shown once, on the page that answers the form),
/// disable (ends their sessions at once) and reset the password, each after a confirmation that says what happens, and
/// enable. Every change is audited in its own transaction, exactly as <see cref="Web.Admin.UserEndpoints"/> does.
/// </summary>
public sealed class UsersModel(UserStore store, TimeProvider time) : AdminPageModel(time)
{
    public IReadOnlyList<UserAccount> Users { get; private set; } = [];

    /// <summary>Shown once, on this answer only; never stored or logged.</summary>
    public (string User, string Password)? OneTime { get; private set; }

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
            AddCreateError(ex);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string name, CancellationToken cancellationToken) =>
        Changed(await store.DisableAsync(name, Audit("users.disable"), cancellationToken), $"User {name} disabled; their open sessions have ended.");

    public async Task<IActionResult> OnPostEnableAsync(string name, CancellationToken cancellationToken) =>
        Changed(await store.EnableAsync(name, Audit("users.enable"), cancellationToken), $"User {name} enabled (and any lockout cleared).");

    public async Task<IActionResult> OnPostResetAsync(string name, CancellationToken cancellationToken)
    {
        var reset = await store.SetPasswordAsync(name, null, Audit("users.reset-password"), cancellationToken);
        if (reset is null)
        {
            return NotFound();
        }

        OneTime = (reset.User.Name, reset.OneTimePassword!);
        Confirm = Target = null;
        await OnGetAsync(cancellationToken);
        return Page();
    }

    protected override ConfirmStep? StepFor(string action, string target)
    {
        if (Users.FirstOrDefault(u => u.Name == target && u.Name != Actor.Name) is not { } user)
        {
            return null;
        }

        var route = new Dictionary<string, string> { ["name"] = user.Name };
        return action switch
        {
            "disable" when !user.Disabled => new ConfirmStep($"Disable {user.Name}?",
                [$"{user.Name} is signed out at once: every open console session of theirs ends.",
                 "They cannot sign in again until an admin enables them here.",
                 $"Their account stays ({user.Role.Name()}, carriers: {user.Scope.Describe()}), and so does everything they did: subscriptions, runs and audit rows."],
                "Disable", route, $"Yes, disable {user.Name}", ConsoleUrls.Users),
            "reset" => new ConfirmStep($"Reset the password of {user.Name}?",
                [$"The password {user.Name} uses now stops working at once.",
                 "You get a one-time password, shown only once, to give them over a channel you trust; they choose their own at their next sign-in."],
                "Reset", route, $"Yes, reset the password of {user.Name}", ConsoleUrls.Users),
            _ => null,
        };
    }

    private CarrierReports.Audit.AuditChange<UserAccount> Audit(string action) => WebAudit.Change<UserAccount>(HttpContext, action, u => u.Name, UsersCommand.Snapshot);
}
