using System.Text.Json;
using CarrierReports.Subscriptions;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>One field of a save conflict: the value saved meanwhile (theirs), the one this user submitted (yours), and who changed it.</summary>
public sealed record ConflictRow(string Field, string Theirs, string Yours, bool ChangedByThem, bool ChangedByYou)
{
    public bool Differs => Theirs != Yours;
}

/// <param name="ChangedBy">Who saved the version that won (from its history), when known.</param>
public sealed record ConflictView(string? ChangedBy, DateTimeOffset? ChangedAt, IReadOnlyList<ConflictRow> Rows)
{
    public IEnumerable<string> YourFields => Rows.Where(r => r.ChangedByYou).Select(r => r.Field);
}

public sealed partial class EditModel
{
    /// <summary>
    /// Someone else saved first: show both versions field by field, and put their version with this user's changes
    /// re-applied into the form with the new entity tag, so one more "Save" keeps both people's work.
    /// </summary>
    private async Task ShowConflictAsync(SubscriptionDefinition mine, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(RouteId, Actor.Scope, cancellationToken);
        if (current is null)
        {
            Error = "Someone else deleted this subscription while you edited it. Its history can restore it; then apply your change again.";
            return;
        }

        var theirs = current.Subscription.Definition;
        var loaded = Form.LoadedDefinition();
        var byThem = loaded is null ? [] : SubscriptionETag.ChangedFields(loaded, theirs).ToHashSet(StringComparer.Ordinal);
        var byYou = loaded is null ? SubscriptionETag.ChangedFields(theirs, mine).ToHashSet(StringComparer.Ordinal)
            : SubscriptionETag.ChangedFields(loaded, mine).ToHashSet(StringComparer.Ordinal);
        using var t = JsonDocument.Parse(SubscriptionETag.Canonical(theirs));
        using var y = JsonDocument.Parse(SubscriptionETag.Canonical(mine));
        var rows = t.RootElement.EnumerateObject()
            .Select(p => new ConflictRow(p.Name, Show(p.Value), Show(y.RootElement.GetProperty(p.Name)), byThem.Contains(p.Name), byYou.Contains(p.Name)))
            .ToList();
        var last = current.Version > 0 ? (await history.ListAsync(RouteId, cancellationToken)).LastOrDefault() : null;
        Conflict = new ConflictView(last?.ChangedBy, last?.ChangedAt, rows);

        var merged = SubscriptionForm.Merge(loaded, theirs, mine);
        var testAddress = TestAddress;
        ModelState.Clear();
        Form = SubscriptionForm.From(merged, current.ETag);
        Form.Loaded = SubscriptionForm.Encode(theirs);
        TestAddress = testAddress;
    }

    /// <summary>A field's value as a person reads it: text as is, lists one item per line, recipients by kind.</summary>
    private string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "(none)",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Show)),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() > 0).Select(p => $"{p.Name}: {(SeesAddresses ? Show(p.Value) : $"{p.Value.GetArrayLength()} addresses")}")),
        _ => value.GetRawText(),
    };
}
