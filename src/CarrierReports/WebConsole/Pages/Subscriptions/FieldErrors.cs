using CarrierReports.Subscriptions;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// Splits the lines of a <see cref="SubscriptionException"/> (<c>subscription 'id' (origin): Field: reason</c>, the
/// words the API and CLI print) into the form field each names and its reason, so the editor shows each next to its field.
/// </summary>
public static class FieldErrors
{
    /// <summary>The definition fields, longest first so <c>Recipients:To</c> wins over <c>Recipients</c>.</summary>
    private static readonly string[] Fields =
    [
        "Recipients:Bcc", "Recipients:To", "Recipients:Cc", "AsrWarningThresholdPct", "TemplateFolder", "MinimumSample", "SettleDelay",
        "Recipients", "ReportType", "TimeZone", "Carrier", "Cadence", "Formats", "Bucket", "Range", "Name", "Id",
    ];

    /// <summary>The form field each error is about (null when it names none), and the reason after the field name.</summary>
    public static IEnumerable<(string? Field, string Reason)> Split(SubscriptionException ex, string id, string origin)
    {
        // The prefix Subscription.Create writes before each field: strip exactly it, so text inside the reason is never read as a field.
        var who = string.IsNullOrWhiteSpace(id) ? $"subscription in {origin}: " : $"subscription '{id}' ({origin}): ";
        foreach (var line in ex.Errors)
        {
            var rest = line.StartsWith(who, StringComparison.Ordinal) ? line[who.Length..] : line;
            var field = Fields.FirstOrDefault(f => rest.StartsWith(f + ": ", StringComparison.Ordinal));
            yield return field is null ? (null, line) : (FormField(field), rest[(field.Length + 2)..]);
        }
    }

    /// <summary>The <see cref="SubscriptionForm"/> property a definition field is edited in.</summary>
    public static string FormField(string field) => field switch
    {
        "Recipients:To" => nameof(SubscriptionForm.To),
        "Recipients:Cc" => nameof(SubscriptionForm.Cc),
        "Recipients:Bcc" => nameof(SubscriptionForm.Bcc),
        _ => field,
    };
}
