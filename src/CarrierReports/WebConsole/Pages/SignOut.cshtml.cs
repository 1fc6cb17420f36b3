using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CarrierReports.WebConsole.Pages;

/// <summary>Ends the session (POST with the form's antiforgery token, so another site cannot sign a user out) and shows the sign-in form.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(ConsoleUrls.SignIn);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(AuthSchemes.Cookie);
        return Redirect(ConsoleUrls.SignIn);
    }
}
