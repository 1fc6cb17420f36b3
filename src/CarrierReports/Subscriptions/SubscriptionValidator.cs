using System.Text.RegularExpressions;
using CarrierReports.Rendering;
using CarrierReports.Time;
using MimeKit;

namespace CarrierReports.Subscriptions;

/// <summary>Checks one subscription; every error names the subscription and the field.</summary>
public static partial class SubscriptionValidator
{
    public static IReadOnlyList<string> Validate(Subscription s)
    {
        var errors = new List<string>();
        var who = string.IsNullOrWhiteSpace(s.Id) ? $"subscription in {s.Origin}" : $"subscription '{s.Id}'{(s.Origin.Length > 0 ? $" ({s.Origin})" : "")}";
        void Fail(string field, string reason) => errors.Add($"{who}: {field}: {reason}");
        void Try(Action check)
        {
            try
            {
                check();
            }
            catch (InputException ex)
            {
                Fail(ex.Field, ex.Reason);
            }
        }

        if (!IdPattern().IsMatch(s.Id ?? ""))
        {
            Fail("Id", $"'{s.Id}' must be 1–64 characters of lower-case letters, digits, '-' and '_', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(s.Carrier))
        {
            Fail("Carrier", "is required");
        }

        if (s.ReportType != Reports.AsrPerRoute.AsrPerRouteReport.ReportType)
        {
            Fail("ReportType", $"'{s.ReportType}' is not a report type; the only one is {Reports.AsrPerRoute.AsrPerRouteReport.ReportType}");
        }

        TimeZoneInfo? zone = null;
        Try(() => zone = Zones.Find(s.TimeZone, "TimeZone"));
        if (zone is not null)
        {
            Try(() => RangeExpression.Resolve(s.Range, zone, new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), "Range"));
        }

        Try(() => BucketSizes.Parse(s.Bucket, "Bucket"));
        Try(() => Cadence.ToQuartzCron(s.Cadence, "Cadence"));
        if (s.SettleDelay < TimeSpan.Zero || s.SettleDelay > TimeSpan.FromDays(7))
        {
            Fail("SettleDelay", $"{s.SettleDelay} is outside 00:00:00..7.00:00:00");
        }

        Try(() => ReportFormats.ParseList(string.Join(',', Formats(s)), "Formats"));
        var recipients = s.Recipients ?? new SubscriptionRecipients();
        if (recipients.To.Count + recipients.Cc.Count + recipients.Bcc.Count == 0)
        {
            Fail("Recipients", "name at least one address in To, Cc or Bcc");
        }

        foreach (var (field, list) in new[] { ("Recipients:To", recipients.To), ("Recipients:Cc", recipients.Cc), ("Recipients:Bcc", recipients.Bcc) })
        {
            foreach (var address in list)
            {
                if (!MailboxAddress.TryParse(address, out var parsed) || !parsed.Address.Contains('@', StringComparison.Ordinal))
                {
                    Fail(field, $"'{address}' is not an e-mail address");
                }
            }
        }

        if (s.TemplateFolder is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            Fail("TemplateFolder", $"folder '{folder}' does not exist");
        }

        if (s.AsrWarningThresholdPct is < 0 or > 100)
        {
            Fail("AsrWarningThresholdPct", $"{s.AsrWarningThresholdPct} is outside 0..100");
        }

        if (s.MinimumSample < 0)
        {
            Fail("MinimumSample", $"{s.MinimumSample} must not be negative");
        }

        return errors;
    }

    /// <summary>The formats to render: the subscription's, or pdf, xlsx and csv.</summary>
    public static IReadOnlyList<string> Formats(Subscription s) => s.Formats is { Count: > 0 } f ? f : ["pdf", "xlsx", "csv"];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
