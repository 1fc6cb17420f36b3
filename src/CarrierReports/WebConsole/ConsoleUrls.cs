using Microsoft.AspNetCore.Http;

namespace CarrierReports.WebConsole;

/// <summary>
/// The console's URLs, in one place so pages link to each other (and the Overview to filtered lists) without typos.
/// Filters are plain query strings (e.g. <c>/runs?status=failed&amp;since=2026-11-30</c>), so every view can be bookmarked.
/// </summary>
public static class ConsoleUrls
{
    public const string Overview = "/";
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";
    public const string Password = "/account/password";

    /// <summary>TempData key of a one-off notice the layout shows on the next page (not "Message": pages bind that themselves).</summary>
    public const string NoticeKey = "Notice";

    public const string Reports = "/reports";
    public const string Subscriptions = "/subscriptions";
    public const string Runs = "/runs";
    public const string Archive = "/archive";
    public const string Recipients = "/recipients";
    public const string Audit = "/audit";
    public const string Users = "/admin/users";
    public const string Keys = "/admin/keys";

    /// <summary>Single sign-on (OpenID Connect), when <c>Auth:Oidc:Authority</c> is set.</summary>
    public const string SignInOidc = "/signin/oidc";

    /// <summary>Where the embedded CSS and JavaScript are served.</summary>
    public const string Assets = "/assets";

    public static string Subscription(string id) => $"{Subscriptions}/{Uri.EscapeDataString(id)}";

    public static string Run(string id) => $"{Runs}/{Uri.EscapeDataString(id)}";

    public static string SignInFor(string? returnUrl) =>
        IsLocal(returnUrl) && returnUrl != Overview ? $"{SignIn}?returnUrl={Uri.EscapeDataString(returnUrl!)}" : SignIn;

    /// <summary>A path on this site (not <c>//host</c> or <c>/\host</c>, which browsers treat as another site).</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <summary>A URL with query parameters; null or empty values are left out.</summary>
    public static string With(string path, params (string Name, string? Value)[] query)
    {
        var qs = QueryString.Create(query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => new KeyValuePair<string, string?>(q.Name, q.Value)));
        return path + qs.ToUriComponent();
    }
}
