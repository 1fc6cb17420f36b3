using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CarrierReports.WebConsole;

/// <summary>
/// Keeps a session signed in with a one-time password on the password form until the user has chosen their own: the
/// one-time password was seen by whoever created the account, so browsing on with it (by typing another URL after the
/// sign-in's redirect) must not work. The session validation (which reads the account on each request) adds
/// <see cref="Claim"/> while the account still has its one-time password. Signing out stays possible; the API is not
/// held (it reports <c>mustChangePassword</c> in <c>GET /api/v1/session</c>).
/// </summary>
public sealed class OneTimePasswordFilter : IAsyncPageFilter
{
    /// <summary>Present (value "true") in the cookie of a session that signed in with a one-time password.</summary>
    public const string Claim = "cr:must_change_password";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var pending = context.HttpContext.User.HasClaim(Claim, "true");
        if (!pending || context.HandlerInstance is Pages.PasswordModel or Pages.SignOutModel or Pages.SignInModel)
        {
            return next();
        }

        var request = context.HttpContext.Request;
        var back = request.Method == HttpMethods.Get ? request.PathBase + request.Path + request.QueryString : "/";
        context.Result = new LocalRedirectResult(ConsoleUrls.With(ConsoleUrls.Password, ("first", "true"), ("returnUrl", back)));
        return Task.CompletedTask;
    }
}
