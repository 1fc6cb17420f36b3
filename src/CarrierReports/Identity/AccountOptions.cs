using System.ComponentModel.DataAnnotations;

namespace CarrierReports.Identity;

/// <summary>Settings <c>Identity:*</c>: lockout and password rules for local accounts. Validated at start.</summary>
public sealed class AccountOptions
{
    public const string Section = "Identity";

    /// <summary>Failed password attempts in a row before the account is locked for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100, ErrorMessage = "Identity:MaxFailedAttempts: must be between 1 and 100")]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked (default 15 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Identity:LockoutDuration: must be between 00:00:01 and 1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password a user may choose (one-time passwords are longer).</summary>
    [Range(8, 128, ErrorMessage = "Identity:MinPasswordLength: must be between 8 and 128")]
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>How often a key's last use is written, so a busy key does not write on every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Identity:KeyLastUsedPrecision: must be between 00:00:00 and 1.00:00:00")]
    public TimeSpan KeyLastUsedPrecision { get; set; } = TimeSpan.FromMinutes(1);
}
