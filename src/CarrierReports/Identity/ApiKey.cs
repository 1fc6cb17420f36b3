using CarrierReports.Access;
namespace CarrierReports.Identity;

/// <summary>An API key as stored; its secret exists only as a SHA-256 hash.</summary>
/// <param name="Name">What the key is for (e.g. "billing export"); the audit trail shows it as the actor.</param>
public sealed record ApiKey(
    string Id,
    string Name,
    Role Role,
    CarrierScope Scope,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    DateTimeOffset? LastUsedAt)
{
    /// <summary>This key as the one acting, for authorization and the audit trail.</summary>
    public Actor ToActor() => new(Name, Role, Scope, AuthMethod.ApiKey, Id);


    public const string Prefix = "crk_";

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && e <= now;
}

/// <summary>A key just created with its token (<c>crk_&lt;id&gt;_&lt;secret&gt;</c>), to be shown once.</summary>
public sealed record NewApiKey(ApiKey Key, string Token);

public enum KeyStatus
{
    Succeeded,

    /// <summary>Not of the form <c>crk_&lt;id&gt;_&lt;secret&gt;</c>.</summary>
    Malformed,
    UnknownKey,
    WrongSecret,
    Expired,
    Revoked,
}

/// <summary>The outcome of a bearer-token check; the auth handler fails with <see cref="Reason"/> unless it succeeded.</summary>
/// <param name="Key">The key the token names, when it exists.</param>
public sealed record KeyCheckResult(KeyStatus Status, ApiKey? Key)
{
    public bool Succeeded => Status == KeyStatus.Succeeded;

    /// <summary>A reason fit for a <c>WWW-Authenticate</c> error description and the audit outcome.</summary>
    public string Reason => Status switch
    {
        KeyStatus.Succeeded => "success",
        KeyStatus.Malformed => "malformed-key",
        KeyStatus.UnknownKey => "unknown-key",
        KeyStatus.WrongSecret => "wrong-secret",
        KeyStatus.Expired => "expired",
        KeyStatus.Revoked => "revoked",
        _ => Status.ToString(),
    };
}
