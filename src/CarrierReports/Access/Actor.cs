namespace CarrierReports.Access;

/// <summary>How an actor proved who they are; the audit trail records it with <see cref="Actor.AuthId"/>.</summary>
public enum AuthMethod
{
    Password,
    ApiKey,
    Oidc,

    /// <summary>A command run on the server; whoever has a shell there is trusted as the OS user.</summary>
    Cli,
}

/// <summary>
/// Who does something: the principal the web layer builds from a cookie, a key or an OIDC sign-in, and the CLI builds
/// from the OS user. The audit trail records it; authorization reads <see cref="Role"/> and <see cref="Scope"/>.
/// </summary>
/// <param name="AuthId">The key id for <see cref="AuthMethod.ApiKey"/>, the subject for <see cref="AuthMethod.Oidc"/>,
/// the OS user for <see cref="AuthMethod.Cli"/>; null for a password sign-in (the name says it all).</param>
public sealed record Actor(string Name, Role Role, CarrierScope Scope, AuthMethod Method, string? AuthId)
{
    /// <summary>The person at the server's shell: admin, all carriers.</summary>
    public static Actor ForCli()
    {
        var user = Environment.UserName;
        return new Actor(user, Role.Admin, CarrierScope.All, AuthMethod.Cli, user);
    }

    /// <summary>A single sign-on user; the role and scope come from the provider's claims (see <see cref="Roles.TryParse"/>).</summary>
    public static Actor ForOidc(string subject, string name, Role role, CarrierScope scope) => new(name, role, scope, AuthMethod.Oidc, subject);

    /// <summary>Someone who failed to prove who they are (an unknown user name or key): recorded, granted nothing.</summary>
    public static Actor Anonymous(string claimedName, AuthMethod method, string? authId = null) =>
        new(claimedName, Role.None, CarrierScope.All, method, authId);

    public static string MethodName(AuthMethod method) => method switch
    {
        AuthMethod.Password => "password",
        AuthMethod.ApiKey => "api-key",
        AuthMethod.Oidc => "oidc",
        AuthMethod.Cli => "cli",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a sign-in method"),
    };
}
