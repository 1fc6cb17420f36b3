using CarrierReports.Audit;
using CarrierReports.Access;
using CarrierReports.Identity;

namespace CarrierReports.Identity;

/// <summary>The audit rows of sign-ins and rejected keys, built the same way by every endpoint that checks credentials.</summary>
public static class SignInAudit
{
    public const string SignInAction = "sign-in";
    public const string KeyRejectedAction = "api-key.rejected";

    /// <param name="typedName">The name as typed, recorded for an unknown user so that probing shows in the trail.</param>
    public static AuditRecord SignIn(string typedName, SignInResult result, string? clientAddress)
    {
        var actor = result.User is { } user ? user.ToActor() : Actor.Anonymous(typedName, AuthMethod.Password);
        return new AuditRecord(actor, SignInAction, actor.Name, ClientAddress: clientAddress, Outcome: result.Outcome);
    }

    /// <summary>
    /// A single sign-on: method <c>oidc</c> with the provider's subject as the auth id. A refused one (no or unknown
    /// role) is recorded under the name and subject the provider sent, with role none and the reason as outcome.
    /// </summary>
    public static AuditRecord OidcSignIn(OidcSignIn result, string? clientAddress)
    {
        var actor = result.Actor ?? Actor.Anonymous(result.Name, AuthMethod.Oidc, result.Subject);
        return new AuditRecord(actor, SignInAction, actor.Name, ClientAddress: clientAddress, Outcome: result.Outcome);
    }

    /// <summary>A single sign-on that failed before the provider said who it was (e.g. the user cancelled, a forged callback).</summary>
    public static AuditRecord OidcFailed(string outcome, string? clientAddress) =>
        new(Actor.Anonymous("(single sign-on)", AuthMethod.Oidc), SignInAction, null, ClientAddress: clientAddress, Outcome: outcome);

    /// <summary>A bearer key that did not pass; successful key use is recorded as the key's last use instead.</summary>
    public static AuditRecord KeyRejected(KeyCheckResult result, string? clientAddress)
    {
        var actor = result.Key is { } key ? key.ToActor() : Actor.Anonymous("(unknown key)", AuthMethod.ApiKey);
        return new AuditRecord(actor, KeyRejectedAction, result.Key?.Id, ClientAddress: clientAddress, Outcome: result.Reason);
    }
}
