using System.Text.RegularExpressions;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using MimeKit;

namespace CarrierReports.Subscriptions;

public sealed partial record Subscription
{
    /// <summary>The formats rendered when a definition names none.</summary>
    public static readonly IReadOnlyList<string> DefaultFormats = ["pdf", "xlsx", "csv"];

    /// <summary>
    /// Validates <paramref name="d"/> and makes the subscription. Every problem is reported at once, each naming the
    /// subscription, <paramref name="origin"/> and the field.
    /// </summary>
    /// <param name="maxRecipients">The setting <c>Mail:MaxRecipients</c> (<see cref="RecipientLimitOptions"/>).</param>
    /// <exception cref="SubscriptionException">The definition is invalid; <see cref="SubscriptionException.Errors"/> lists why.</exception>
    public static Subscription Create(SubscriptionDefinition d, string origin, int maxRecipients = RecipientLimitOptions.Default)
    {
        var errors = new List<string>();
        var who = string.IsNullOrWhiteSpace(d.Id) ? $"subscription in {origin}" : $"subscription '{d.Id}'{(origin.Length > 0 ? $" ({origin})" : "")}";
        void Fail(string field, string reason) => errors.Add($"{who}: {field}: {reason}");
        T? Try<T>(Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (InputException ex)
            {
                Fail(ex.Field, ex.Reason);
                return default;
            }
        }

        CheckWhat(d, Fail);
        var zone = Try(() => Zones.Find(d.TimeZone, "TimeZone"));
        if (zone is not null)
        {
            Try(() => RangeExpression.Resolve(d.Range, zone, new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), "Range"));
        }

        var bucket = Try<BucketSize?>(() => BucketSizes.Parse(d.Bucket, "Bucket"));
        var cron = Try(() => Subscriptions.Cadence.ToQuartzCron(d.Cadence, "Cadence"));
        if (d.SettleDelay < TimeSpan.Zero || d.SettleDelay > TimeSpan.FromDays(7))
        {
            Fail("SettleDelay", $"{d.SettleDelay} is outside 00:00:00..7.00:00:00");
        }

        var formats = Try(() => ReportFormats.ParseList(string.Join(',', d.Formats is { Count: > 0 } f ? f : DefaultFormats), "Formats"));
        var (recipients, addresses) = ParseRecipients(d.Recipients ?? new SubscriptionRecipients(), maxRecipients, Fail);
        CheckPresentation(d, Fail);
        if (errors.Count > 0)
        {
            throw new SubscriptionException(errors);
        }

        return new Subscription
        {
            Id = d.Id!, Name = d.Name, Enabled = d.Enabled, Carrier = d.Carrier, ReportType = d.ReportType,
            Range = d.Range, TimeZone = zone!, Bucket = bucket!.Value, Cadence = d.Cadence, Cron = cron!, SettleDelay = d.SettleDelay,
            Formats = formats!, Recipients = recipients, Addresses = addresses,
            TemplateFolder = d.TemplateFolder is { Length: > 0 } t ? t : null,
            AsrWarningThresholdPct = d.AsrWarningThresholdPct, MinimumSample = d.MinimumSample, SkipIfEmpty = d.SkipIfEmpty,
            Origin = origin, Definition = d,
        };
    }

    /// <summary>Which report, of which carrier, under which id.</summary>
    private static void CheckWhat(SubscriptionDefinition d, Action<string, string> fail)
    {
        if (!IdPattern().IsMatch(d.Id ?? ""))
        {
            fail("Id", $"'{d.Id}' must be 1–64 characters of lower-case letters, digits, '-' and '_', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(d.Carrier))
        {
            fail("Carrier", "is required");
        }

        if (d.ReportType != AsrPerRouteReport.ReportType)
        {
            fail("ReportType", $"'{d.ReportType}' is not a report type; the only one is {AsrPerRouteReport.ReportType}");
        }
    }

    /// <summary>How it is presented.</summary>
    private static void CheckPresentation(SubscriptionDefinition d, Action<string, string> fail)
    {
        if (d.TemplateFolder is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            fail("TemplateFolder", $"folder '{folder}' does not exist");
        }

        if (d.AsrWarningThresholdPct is < 0 or > 100)
        {
            fail("AsrWarningThresholdPct", $"{d.AsrWarningThresholdPct} is outside 0..100");
        }

        if (d.MinimumSample < 0)
        {
            fail("MinimumSample", $"{d.MinimumSample} must not be negative");
        }
    }

    /// <summary>Checks each address once; the distinct lower-case addresses key the delivery ledger.</summary>
    private static (MailRecipients Recipients, IReadOnlyList<string> Addresses) ParseRecipients(SubscriptionRecipients r, int maxRecipients, Action<string, string> fail)
    {
        var count = (r.To?.Count ?? 0) + (r.Cc?.Count ?? 0) + (r.Bcc?.Count ?? 0);
        if (count == 0)
        {
            fail("Recipients", "name at least one address in To, Cc or Bcc");
        }
        else if (count > maxRecipients)
        {
            fail("Recipients", $"{count} addresses in To, Cc and Bcc are more than the limit of {maxRecipients} (setting {RecipientLimitOptions.Section}:{nameof(RecipientLimitOptions.MaxRecipients)})");
        }

        var addresses = new List<string>();
        foreach (var (field, list) in new[] { ("Recipients:To", r.To), ("Recipients:Cc", r.Cc), ("Recipients:Bcc", r.Bcc) })
        {
            // JSON null binds as null: a null list is no addresses, a null item an error to name, not a crash.
            foreach (var address in list ?? [])
            {
                if (address is null)
                {
                    fail(field, "null is not an e-mail address");
                }
                else if (!MailboxAddress.TryParse(address, out var parsed) || !parsed.Address.Contains('@', StringComparison.Ordinal))
                {
                    fail(field, $"'{address}' is not an e-mail address");
                }
                else if (!addresses.Contains(parsed.Address.ToLowerInvariant()))
                {
                    addresses.Add(parsed.Address.ToLowerInvariant());
                }
            }
        }

        return (new MailRecipients([.. r.To ?? []], [.. r.Cc ?? []], [.. r.Bcc ?? []]), addresses);
    }

    // \z, not $: "$" also matches before a final newline, which would let "acme\n" through as an id.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z")]
    private static partial Regex IdPattern();
}
