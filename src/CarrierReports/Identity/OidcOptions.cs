using System.ComponentModel.DataAnnotations;
using CarrierReports.Settings;

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
