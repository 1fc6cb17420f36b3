using CarrierReports.Access;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// What the two admin pages (users, API keys) share: the create form's name, role and carriers; the one-off notice
/// after a change; and the confirmation step (<c>?confirm=disable&amp;target=…</c>) that a disable, revoke or reset
/// passes before its form is offered, so that it works without JavaScript like the runs page's retry and resend.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public abstract class AdminPageModel(TimeProvider time) : ConsolePageModel
{
    /// <summary>The roles an admin may give a user or a key, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<Role> Assignable = [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin];

    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewRole { get; set; } = "viewer";
    [BindProperty] public string? NewCarriers { get; set; }

    /// <summary>The action being confirmed ("disable", "reset", "revoke"); null when none is.</summary>
    [BindProperty(SupportsGet = true)] public string? Confirm { get; set; }

    /// <summary>The user name or key id the confirmed action is for.</summary>
    [BindProperty(SupportsGet = true)] public string? Target { get; set; }

    [TempData] public string? Message { get; set; }

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The confirmation the page shows (<see cref="Confirm"/> of <see cref="Target"/>); null when none is asked for or it does not apply.</summary>
    public ConfirmStep? Step => Confirm is { } action && Target is { } target ? StepFor(action, target) : null;

    /// <summary>The link that opens the confirmation of <paramref name="action"/> for <paramref name="target"/> on this page.</summary>
    public string ConfirmUrl(string action, string target) => ConsoleUrls.With(HttpContext.Request.Path.ToString(), ("confirm", action), ("target", target));

    /// <summary>
    /// Shows a store's validation error at the create form's field: the stores name the fields as the API does
    /// (<c>name</c>, <c>role</c>, <c>carriers</c>, …), the form as its properties (<c>NewName</c>, …).
    /// </summary>
    protected void AddCreateError(InputException ex) =>
        ModelState.AddModelError(ex.Field switch
        {
            "name" => nameof(NewName),
            "role" => nameof(NewRole),
            "carriers" => nameof(NewCarriers),
            _ => CreateField(ex.Field),
        }, ex.Reason);

    /// <summary>The confirmation of <paramref name="action"/> for <paramref name="target"/> as the list now stands; null when it does not apply (unknown target, already done).</summary>
    protected abstract ConfirmStep? StepFor(string action, string target);

    /// <summary>The form property of a field only one page has (the key's expiry); the field itself otherwise.</summary>
    protected virtual string CreateField(string field) => field;

    /// <summary>The notice after a change and back to the list (POST, redirect, GET); a 404 when the user or key was not there.</summary>
    protected IActionResult Changed<T>((T Before, T After)? change, string message)
    {
        if (change is null)
        {
            return NotFound();
        }

        Message = message;
        return RedirectToPage();
    }
}
