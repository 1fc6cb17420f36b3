using CarrierReports.Access;
namespace CarrierReports.Identity;

/// <summary>A local account as stored, without its password hash.</summary>
/// <param name="SecurityStamp">Changes when the password changes or the account is disabled; a session cookie carries
/// the stamp it was issued with and is void once they differ.</param>
/// <param name="MustChangePassword">The password is a one-time password someone else saw.</param>
public sealed record UserAccount(
    string Name,
    Role Role,
    CarrierScope Scope,
    bool Disabled,
    bool MustChangePassword,
    int FailedAttempts,
    DateTimeOffset? LockedUntil,
    string SecurityStamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>This account as the one acting, for authorization and the audit trail.</summary>
    public Actor ToActor() => new(Name, Role, Scope, AuthMethod.Password, null);


    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>A user just created or whose password was reset, with the password to hand over once.</summary>
/// <param name="OneTimePassword">Null when the caller chose the password.</param>
public sealed record NewPassword(UserAccount User, string? OneTimePassword);
