using System.Security.Claims;
using CarrierReports.Access;

namespace CarrierReports.Identity;

/// <summary>
/// What an OpenID Connect sign-in maps to: the <see cref="Actor"/> when the provider's claims give exactly one of our
/// roles, else the reason it is refused (for the user and, as <see cref="Outcome"/>, for the audit trail).
/// </summary>
/// <param name="Subject">The provider's <c>sub</c>: the stable id the audit trail records.</param>
/// <param name="Name">The name shown and audited (the <see cref="OidcOptions.NameClaim"/>, else the subject).</param>
public sealed record OidcSignIn(string Subject, string Name, Actor? Actor, string Outcome, string? Refusal)
{
    public bool Succeeded => Actor is not null;
}

/// <summary>Maps the claims of a validated ID token to an <see cref="Actor"/>; deny by default.</summary>
public static class OidcClaims
{
    public const string Subject = "sub";

    /// <param name="principal">The ID token's claims under their own names (inbound claim mapping off).</param>
    public static OidcSignIn Map(ClaimsPrincipal principal, OidcOptions options)
    {
        var subject = principal.FindFirst(Subject)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return Refused("(no subject)", "(no subject)", "no-subject", "the provider's ID token has no 'sub' claim");
        }

        var name = principal.FindFirst(options.NameClaim)?.Value is { Length: > 0 } n ? n : subject;
        var values = principal.FindAll(options.RoleClaim).Select(c => c.Value).ToList();
        if (values.Count == 0)
        {
            return Refused(subject, name, "no-role",
                $"the provider sent no '{options.RoleClaim}' claim; ask an administrator to give you one of viewer, operator, auditor or admin at the provider");
        }

        var roles = values.Select(v => MapRole(v, options)).OfType<Role>().Distinct().ToList();
        Role role;
        if (roles.Contains(Role.Admin))
        {
            role = Role.Admin; // admin may do everything any other role may
        }
        else if (roles.Count == 1)
        {
            role = roles[0];
        }
        else
        {
            var outcome = roles.Count == 0 ? "unknown-role" : "ambiguous-role";
            var why = roles.Count == 0
                ? $"the provider's '{options.RoleClaim}' claim ({string.Join(", ", values)}) names none of our roles (viewer, operator, auditor, admin)"
                : $"the provider's '{options.RoleClaim}' claim maps to several roles ({string.Join(", ", roles.Select(r => r.Name()))}); give the user one";
            return Refused(subject, name, outcome, why);
        }

        var carriers = string.Join(',', principal.FindAll(options.CarrierClaim).Select(c => c.Value));
        try
        {
            var scope = CarrierScope.Parse(carriers, $"claim '{options.CarrierClaim}'");
            return new OidcSignIn(subject, name, Actor.ForOidc(subject, name, role, scope), Audit.AuditRecord.Success, null);
        }
        catch (InputException ex)
        {
            return Refused(subject, name, "bad-carriers", ex.Message);
        }
    }

    private static Role? MapRole(string value, OidcOptions options)
    {
        var text = options.RoleMap.TryGetValue(value, out var mapped) ? mapped : value;
        return Roles.TryParse(text, out var role) ? role : null;
    }

    private static OidcSignIn Refused(string subject, string name, string outcome, string why) =>
        new(subject, name, null, outcome, $"Sign-in refused: {why}.");
}
