using CarrierReports.Access;
using CarrierReports.Identity;

namespace CarrierReports.Subscriptions;

/// <summary>A subscription as the API shows it: where it comes from, its version and entity tag, and its definition.</summary>
/// <param name="Source"><c>database</c>, <c>file</c> or <c>settings</c>; only database subscriptions change through the API.</param>
/// <param name="Origin">The file path or settings key it is written in, or <c>database</c>.</param>
public sealed record SubscriptionResource(string Id, string Source, string Origin, bool ReadOnly, int Version, string ETag, DefinitionView Definition)
{
    public static SubscriptionResource From(StoredSubscription s, Role role) =>
        new(s.Subscription.Id, SourceOf(s.Subscription.Origin), s.Subscription.Origin, s.ReadOnly, s.Version, s.ETag,
            DefinitionView.From(s.Subscription.Definition, role));

    public static string SourceOf(string origin) =>
        origin == SubscriptionCatalog.DatabaseOrigin ? "database" : origin.StartsWith("settings ", StringComparison.Ordinal) ? "settings" : "file";
}

/// <summary>
/// The definition as written, with the recipients' addresses only for roles that may read them (operator, auditor,
/// admin); a viewer sees how many there are.
/// </summary>
public sealed record DefinitionView(
    string Id, string? Name, bool Enabled, string Carrier, string ReportType, string Range, string TimeZone, string Bucket,
    string Cadence, TimeSpan SettleDelay, IReadOnlyList<string> Formats, SubscriptionRecipients? Recipients, RecipientCounts RecipientCounts,
    string? TemplateFolder, decimal AsrWarningThresholdPct, long MinimumSample, bool SkipIfEmpty)
{
    public static bool SeesAddresses(Role role) => role is Role.Operator or Role.Auditor or Role.Admin;

    public static DefinitionView From(SubscriptionDefinition d, Role role) =>
        new(d.Id, d.Name, d.Enabled, d.Carrier, d.ReportType, d.Range, d.TimeZone, d.Bucket, d.Cadence, d.SettleDelay, d.Formats,
            SeesAddresses(role) ? d.Recipients : null,
            new RecipientCounts(d.Recipients.To.Count, d.Recipients.Cc.Count, d.Recipients.Bcc.Count),
            d.TemplateFolder, d.AsrWarningThresholdPct, d.MinimumSample, d.SkipIfEmpty);
}

public sealed record RecipientCounts(int To, int Cc, int Bcc);

/// <summary>One page of the subscription list.</summary>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record SubscriptionPage(IReadOnlyList<SubscriptionResource> Items, string? Next);

/// <summary>One version in a subscription's history.</summary>
public sealed record VersionView(int Version, string Action, bool Deleted, string ChangedBy, DateTimeOffset ChangedAt,
    IReadOnlyList<string> ChangedFields, DefinitionView? Before, DefinitionView After)
{
    public static VersionView From(SubscriptionVersion v, Role role) =>
        new(v.Version, v.Action, v.Deleted, v.ChangedBy, v.ChangedAt, v.ChangedFields,
            v.Before is null ? null : DefinitionView.From(v.Before, role), DefinitionView.From(v.Definition, role));
}

/// <param name="ETag">The entity tag a restore must send in If-Match (also for a deleted subscription).</param>
public sealed record HistoryView(string Id, string ETag, IReadOnlyList<VersionView> Versions);
