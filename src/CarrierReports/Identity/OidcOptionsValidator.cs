using System.Net;
using CarrierReports.Access;
using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

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
