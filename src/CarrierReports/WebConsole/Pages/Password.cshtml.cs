using System.ComponentModel.DataAnnotations;
using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Web;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages;

/// <summary>
/// Change your own password, as <c>POST /api/v1/session/password</c> does: the current one is checked (with lockout),
/// the change is audited, every other session of the account ends and this one gets a new cookie. Sign-in sends a
/// user with a one-time password here first.
/// </summary>
public sealed class PasswordModel(PasswordSignIn signIn, AuditTrail trail) : ConsolePageModel
{
    [BindProperty, Required(ErrorMessage = "is required"), DataType(DataType.Password)]
    public string? CurrentPassword { get; set; }

    [BindProperty, Required(ErrorMessage = "is required"), DataType(DataType.Password)]
    public string? NewPassword { get; set; }

    [BindProperty, Required(ErrorMessage = "is required"), DataType(DataType.Password)]
    public string? ConfirmPassword { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set on arrival from the sign-in with a one-time password.</summary>
    [BindProperty(Name = "first", SupportsGet = true)]
    public bool First { get; set; }

    public bool IsPasswordSession => Actor.Method == AuthMethod.Password;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsPasswordSession)
        {
            return Page();
        }

        if (ModelState.IsValid && NewPassword != ConfirmPassword)
        {
            ModelState.AddModelError(nameof(ConfirmPassword), "does not match the new password");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        CarrierReports.Identity.SignInResult result;
        try
        {
            var audit = WebAudit.Change<UserAccount>(HttpContext, "users.change-password", u => u.Name, UsersCommand.Snapshot);
            result = await signIn.ChangePasswordAsync(Actor.Name, CurrentPassword!, NewPassword!, audit, cancellationToken);
        }
        catch (InputException error)
        {
            ModelState.AddModelError(nameof(NewPassword), error.Reason);
            return Page();
        }

        if (!result.Succeeded)
        {
            await trail.AppendAsync(WebAudit.Read(HttpContext, "users.change-password", Actor.Name) with { Outcome = result.Outcome }, cancellationToken);
            ModelState.AddModelError(nameof(CurrentPassword), result.Status == SignInStatus.LockedOut ? SessionEndpoints.LockedMessage : "is not your current password");
            return Page();
        }

        var user = result.User!;
        await HttpContext.SignInAsync(AuthSchemes.Cookie, ActorClaims.ToPrincipal(user.ToActor(), AuthSchemes.Cookie, user.SecurityStamp));
        TempData[ConsoleUrls.NoticeKey] = "Your password has been changed; your other sessions have ended.";
        return LocalRedirect(ConsoleUrls.IsLocal(ReturnUrl) ? ReturnUrl! : ConsoleUrls.Overview);
    }
}
