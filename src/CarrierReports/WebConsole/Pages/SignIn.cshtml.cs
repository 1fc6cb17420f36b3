using System.ComponentModel.DataAnnotations;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Web;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.WebConsole.Pages;

/// <summary>
/// The sign-in form: the same password check, lockout, audit row and session cookie as <c>POST /api/v1/session</c>,
/// and the same words: one message for a wrong name or password (nothing tells whether the name exists), another for
/// a locked account. "Sign in with SSO" appears when <c>Auth:Oidc:Authority</c> is set.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(ConsoleSetup.SignInRateLimit)]
public sealed class SignInModel(PasswordSignIn signIn, AuditTrail trail, IConfiguration configuration) : PageModel
{
    [BindProperty]
    [Display(Name = "User name")]
    [Required(ErrorMessage = "User name: is required")]
    public string? UserName { get; set; }

    [BindProperty]
    [DataType(DataType.Password)]
    [Required(ErrorMessage = "Password: is required")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the last attempt failed; null before one.</summary>
    public string? Error { get; private set; }

    public bool SsoConfigured => !string.IsNullOrWhiteSpace(configuration["Auth:Oidc:Authority"]);

    public string SsoUrl => ConsoleUrls.With(ConsoleUrls.SignInOidc, ("returnUrl", SafeReturnUrl));

    private string SafeReturnUrl => ConsoleUrls.IsLocal(ReturnUrl) ? ReturnUrl! : ConsoleUrls.Overview;

    public IActionResult OnGet() => HttpContext.ActorOrNull() is null ? Page() : LocalRedirect(SafeReturnUrl);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.VerifyAsync(UserName!, Password!, cancellationToken);
        await trail.AppendAsync(SignInAudit.SignIn(UserName!.Trim(), result, HttpContext.ClientAddress()), cancellationToken);
        if (!result.Succeeded)
        {
            Error = result.Status == SignInStatus.LockedOut ? SessionEndpoints.LockedMessage : SessionEndpoints.FailedMessage;
            Password = null;
            return Page();
        }

        var user = result.User!;
        await HttpContext.SignInAsync(AuthSchemes.Cookie, ActorClaims.ToPrincipal(user.ToActor(), AuthSchemes.Cookie, user.SecurityStamp));
        return LocalRedirect(SafeReturnUrl);
    }
}
