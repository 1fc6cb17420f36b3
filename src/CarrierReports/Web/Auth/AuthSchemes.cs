namespace CarrierReports.Web.Auth;

/// <summary>The authentication schemes of the web host.</summary>
public static class AuthSchemes
{
    /// <summary>The session cookie of a password (or single sign-on) sign-in.</summary>
    public const string Cookie = "cookie";

    /// <summary><c>Authorization: Bearer crk_...</c>.</summary>
    public const string ApiKey = "api-key";

    /// <summary>The default: the key scheme when the request carries a bearer token, else the cookie.</summary>
    public const string CookieOrKey = "cookie-or-key";

    public const string CookieName = "cr_session";
    public const string AntiforgeryCookieName = "cr_csrf";

    /// <summary>The header that carries the antiforgery token on cookie-authenticated changes.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public const string SignInRateLimit = "sign-in";

    public static bool HasBearer(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}
