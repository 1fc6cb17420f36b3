using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CarrierReports.Subscriptions;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// The editor's fields, as typed: numbers and durations stay text until <see cref="ToDefinition"/>, so a typo is an
/// error next to its field instead of a silently dropped value; recipients are one address per line.
/// </summary>
public sealed class SubscriptionForm
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public bool Enabled { get; set; } = true;
    public string Carrier { get; set; } = "";
    public string ReportType { get; set; } = "asr-per-route";
    public string Range { get; set; } = "previous-day";
    public string TimeZone { get; set; } = "UTC";
    public string Bucket { get; set; } = "hour";
    public string Cadence { get; set; } = "daily@06:00";
    public string SettleDelay { get; set; } = "00:15:00";
    public List<string> Formats { get; set; } = ["pdf", "xlsx", "csv"];
    public string? To { get; set; }
    public string? Cc { get; set; }
    public string? Bcc { get; set; }
    public string? TemplateFolder { get; set; }
    public string AsrWarningThresholdPct { get; set; } = "30";
    public string MinimumSample { get; set; } = "30";
    public bool SkipIfEmpty { get; set; }

    /// <summary>The entity tag of the version the form was loaded from; empty for a new subscription.</summary>
    public string? ETag { get; set; }

    /// <summary>The definition the form was loaded from (base64 of its JSON): on a conflict, what this user changed is what differs from it.</summary>
    public string? Loaded { get; set; }

    public static SubscriptionForm From(SubscriptionDefinition d, string? etag) => new()
    {
        Id = d.Id, Name = d.Name, Enabled = d.Enabled, Carrier = d.Carrier, ReportType = d.ReportType, Range = d.Range, TimeZone = d.TimeZone,
        Bucket = d.Bucket, Cadence = d.Cadence, SettleDelay = d.SettleDelay.ToString("c", CultureInfo.InvariantCulture),
        Formats = d.Formats.Count > 0 ? [.. d.Formats] : [.. Subscription.DefaultFormats],
        To = Lines(d.Recipients.To), Cc = Lines(d.Recipients.Cc), Bcc = Lines(d.Recipients.Bcc),
        TemplateFolder = d.TemplateFolder, AsrWarningThresholdPct = d.AsrWarningThresholdPct.ToString(CultureInfo.InvariantCulture),
        MinimumSample = d.MinimumSample.ToString(CultureInfo.InvariantCulture), SkipIfEmpty = d.SkipIfEmpty,
        ETag = etag, Loaded = Encode(d),
    };

    /// <summary>The definition the fields describe; a field that is not even a number or a duration is added to <paramref name="errors"/> by name.</summary>
    public SubscriptionDefinition ToDefinition(IDictionary<string, string> errors)
    {
        var d = new SubscriptionDefinition
        {
            Id = Id.Trim(), Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(), Enabled = Enabled, Carrier = Carrier.Trim(),
            ReportType = ReportType.Trim(), Range = Range.Trim(), TimeZone = TimeZone.Trim(), Bucket = Bucket.Trim(), Cadence = Cadence.Trim(),
            Formats = [.. Formats.Where(f => f.Length > 0)],
            Recipients = new SubscriptionRecipients { To = Split(To), Cc = Split(Cc), Bcc = Split(Bcc) },
            TemplateFolder = string.IsNullOrWhiteSpace(TemplateFolder) ? null : TemplateFolder.Trim(), SkipIfEmpty = SkipIfEmpty,
        };
        if (TimeSpan.TryParse(SettleDelay.Trim(), CultureInfo.InvariantCulture, out var settle))
        {
            d.SettleDelay = settle;
        }
        else
        {
            errors[nameof(SettleDelay)] = $"'{SettleDelay}' is not a duration; write hh:mm:ss, e.g. 00:15:00";
        }

        if (decimal.TryParse(AsrWarningThresholdPct.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var threshold))
        {
            d.AsrWarningThresholdPct = threshold;
        }
        else
        {
            errors[nameof(AsrWarningThresholdPct)] = $"'{AsrWarningThresholdPct}' is not a number; write a percent such as 30 or 27.5";
        }

        if (long.TryParse(MinimumSample.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sample))
        {
            d.MinimumSample = sample;
        }
        else
        {
            errors[nameof(MinimumSample)] = $"'{MinimumSample}' is not a whole number of attempts";
        }

        return d;
    }

    /// <summary>The definition <see cref="Loaded"/> carries; null for a new subscription or a tampered value.</summary>
    public SubscriptionDefinition? LoadedDefinition()
    {
        if (string.IsNullOrEmpty(Loaded))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SubscriptionDefinition>(Encoding.UTF8.GetString(Convert.FromBase64String(Loaded)), SubscriptionCatalog.Json);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="theirs"/> (the version saved meanwhile) with every field this user changed since
    /// <paramref name="loaded"/> set to <paramref name="mine"/>'s value: their other changes stay, and none of this user's is lost.
    /// </summary>
    public static SubscriptionDefinition Merge(SubscriptionDefinition? loaded, SubscriptionDefinition theirs, SubscriptionDefinition mine)
    {
        if (loaded is null)
        {
            return mine;
        }

        var merged = JsonNode.Parse(SubscriptionETag.Canonical(theirs))!.AsObject();
        var mineJson = JsonNode.Parse(SubscriptionETag.Canonical(mine))!.AsObject();
        foreach (var field in SubscriptionETag.ChangedFields(loaded, mine))
        {
            merged[field] = mineJson[field]?.DeepClone();
        }

        return JsonSerializer.Deserialize<SubscriptionDefinition>(merged.ToJsonString(), SubscriptionCatalog.Json)!;
    }

    public static string Encode(SubscriptionDefinition d) => Convert.ToBase64String(Encoding.UTF8.GetBytes(SubscriptionETag.Canonical(d)));

    private static string Lines(IEnumerable<string> items) => string.Join('\n', items);

    private static List<string> Split(string? text) =>
        [.. (text ?? "").Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
