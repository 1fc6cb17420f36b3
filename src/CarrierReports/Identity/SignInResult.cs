namespace CarrierReports.Identity;

public enum SignInStatus
{
    Succeeded,

    /// <summary>No such user; the password was still hashed so that the answer takes as long as a wrong password.</summary>
    UnknownUser,
    WrongPassword,
    LockedOut,
    Disabled,
}

/// <summary>
/// The outcome of a password check. Tell the client only "succeeded" or "failed" (and perhaps "locked"); the exact
/// status is for the audit trail.
/// </summary>
/// <param name="User">The account as it is after the check; null for an unknown user.</param>
public sealed record SignInResult(SignInStatus Status, UserAccount? User)
{
    public bool Succeeded => Status == SignInStatus.Succeeded;

    /// <summary>The audit outcome word.</summary>
    public string Outcome => Status switch
    {
        SignInStatus.Succeeded => "success",
        SignInStatus.UnknownUser => "unknown-user",
        SignInStatus.WrongPassword => "wrong-password",
        SignInStatus.LockedOut => "locked-out",
        SignInStatus.Disabled => "disabled",
        _ => Status.ToString(),
    };
}
