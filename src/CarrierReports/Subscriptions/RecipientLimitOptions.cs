using CarrierReports.Settings;

namespace CarrierReports.Subscriptions;

/// <summary>
/// <c>Mail:MaxRecipients</c>: how many addresses (To + Cc + Bcc) one subscription may name. Each recipient gets its
/// own message with every report attached, so the count multiplies the mail a run sends; a typo or a pasted list must
/// not turn one run into thousands of messages. Kept apart from the delivery settings so that checking a subscription
/// does not require a complete mail setup.
/// </summary>
public sealed class RecipientLimitOptions
{
    public const string Section = "Mail";

    public const int Default = 100;

    /// <summary>Default 100.</summary>
    [SettingRange(1, 10_000)]
    public int MaxRecipients { get; set; } = Default;
}
