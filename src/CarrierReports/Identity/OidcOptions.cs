using System.ComponentModel.DataAnnotations;
using System.Net;
using CarrierReports.Access;
using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

/// <summary>
/// Settings <c>Auth:Oidc:*</c>: single sign-on through an OpenID Connect provider. Nothing of it is registered when the
/// section is absent. Validated at start by <see cref="SettingsValidator{TOptions}"/> and <see cref="OidcOptionsValidator"/>.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Auth:Oidc";

    /// <summary>The provider's issuer URL; its <c>/.well-known/openid-configuration</c> is read from there.</summary>
    [Required(ErrorMessage = "is required (the provider's issuer URL, e.g. https://login.example.com/realms/staff)")]
    public string? Authority { get; set; }

    /// <summary>The client id registered at the provider for this service.</summary>
    [Required(ErrorMessage = "is required (the client id registered at the provider)")]
    public string? ClientId { get; set; }

    /// <summary>For a confidential client; a public client (PKCE only) leaves it out.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to ask for; must contain <c>openid</c>.</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>The ID-token claim holding the role (one value or several; see <see cref="RoleMap"/>).</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string RoleClaim { get; set; } = "role";

    /// <summary>The ID-token claim holding the carrier scope: an array or a comma-separated list; absent means all carriers.</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string CarrierClaim { get; set; } = "carriers";

    /// <summary>The ID-token claim shown as the user's name; the subject when the token has no such claim.</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>
    /// Provider role values (e.g. group names) to our role names: <c>{"report-admins": "admin"}</c>. A value not in
    /// the map counts only if it is itself a role name.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The metadata and keys must come over HTTPS; false is accepted only for a provider on loopback (tests, a local dev provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The scopes as a list.</summary>
    public IReadOnlyList<string> ScopeList() => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The checks across settings of <see cref="OidcOptions"/>; each message names the setting.</summary>
public sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var errors = new SettingErrors();
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            CheckAuthority(options, errors);
        }

        if (!options.ScopeList().Contains("openid", StringComparer.Ordinal))
        {
            errors.Add($"{OidcOptions.Section}:Scopes: '{options.Scopes}' lacks openid; OpenID Connect sign-in needs it (e.g. \"openid profile\")");
        }

        foreach (var (value, role) in options.RoleMap)
        {
            errors.Check(() => Roles.Parse(role, $"{OidcOptions.Section}:RoleMap:{value}"));
        }

        return errors.Result();
    }

    private static void CheckAuthority(OidcOptions options, SettingErrors errors)
    {
        var setting = $"{OidcOptions.Section}:Authority";
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{setting}: '{options.Authority}' is not an absolute http(s) URL");
            return;
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (!options.RequireHttpsMetadata && !loopback)
        {
            errors.Add($"{OidcOptions.Section}:RequireHttpsMetadata: false is accepted only for a provider on loopback; '{options.Authority}' is not (tokens and keys would travel unprotected)");
        }
        else if (options.RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{setting}: '{options.Authority}' is not HTTPS; use the provider's https URL (plain http only for a loopback provider with {OidcOptions.Section}:RequireHttpsMetadata=false)");
        }
    }
}
