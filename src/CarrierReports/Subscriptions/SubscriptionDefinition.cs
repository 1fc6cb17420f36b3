namespace CarrierReports.Subscriptions;

/// <summary>
/// The input shape of a subscription, as written in JSON (config/subscriptions/*.json, the <c>Subscriptions</c> settings
/// section, or the database). Only <see cref="Subscription.Create"/> reads it: everything else works on the validated
/// <see cref="Subscription"/>.
/// </summary>
public sealed class SubscriptionDefinition
{
    /// <summary>Unique id across all sources: lower-case letters, digits, '-' and '_'.</summary>
    public string Id { get; set; } = "";

    public string? Name { get; set; }

    public bool Enabled { get; set; } = true;

    public string Carrier { get; set; } = "";

    /// <summary>Only <c>asr-per-route</c> exists today.</summary>
    public string ReportType { get; set; } = "asr-per-route";

    /// <summary>Range expression, e.g. <c>previous-day</c>, <c>previous-month</c>, <c>now-7d/d..now/d</c>.</summary>
    public string Range { get; set; } = "previous-day";

    /// <summary>IANA zone for the period, the buckets and the cadence.</summary>
    public string TimeZone { get; set; } = "";

    public string Bucket { get; set; } = "hour";

    /// <summary>Quartz cron (6–7 fields), 5-field cron, or <c>hourly</c>, <c>daily@06:00</c>, <c>weekly@mon 06:00</c>, <c>monthly@1 06:00</c>.</summary>
    public string Cadence { get; set; } = "";

    /// <summary>Wait this long after the period ends before reporting it, for late CDRs. Default 15 minutes.</summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Default pdf, xlsx and csv.</summary>
    public List<string> Formats { get; set; } = [];

    public SubscriptionRecipients Recipients { get; set; } = new();

    /// <summary>Folder with this subscription's own templates; empty means the default <c>templates/</c>.</summary>
    public string? TemplateFolder { get; set; }

    /// <summary>ASR percent below which cells are highlighted. Default 30.</summary>
    public decimal AsrWarningThresholdPct { get; set; } = 30m;

    /// <summary>Fewest attempts for a route to be ranked best/worst. Default 30.</summary>
    public long MinimumSample { get; set; } = 30;

    /// <summary>When the report has no traffic, record a skipped run instead of sending. Default false.</summary>
    public bool SkipIfEmpty { get; set; }
}

public sealed class SubscriptionRecipients
{
    public List<string> To { get; set; } = [];
    public List<string> Cc { get; set; } = [];
    public List<string> Bcc { get; set; } = [];
}
