using Microsoft.AspNetCore.Mvc.Filters;

namespace CarrierReports.WebConsole;

/// <summary>
/// The content security policy of console pages. The API keeps its own (<see cref="Web.SecurityHeaders"/>: nothing
/// loads); a page may load scripts, styles and images from this origin only. No inline script or style anywhere, so an
/// injected <c>&lt;script&gt;</c> or <c>style=</c> does nothing; charts are inline SVG with presentation attributes.
/// </summary>
public sealed class ConsoleSecurityFilter : IAsyncPageFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // Pages show data of the signed-in user: not for shared caches or the back button after sign-out.
        headers.CacheControl = "no-store";
        return next();
    }
}
