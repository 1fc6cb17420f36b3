using Microsoft.AspNetCore.Builder;

namespace CarrierReports.Web;

/// <summary>
/// Headers on every response of the web host. Today every endpoint answers JSON or plain text, so the policy allows
/// nothing to load and nothing to frame; the console of the next issue will widen <c>default-src</c> for its own files.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set before the rest of the pipeline runs, so 404 and 405 answers from routing carry them too.
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
}
