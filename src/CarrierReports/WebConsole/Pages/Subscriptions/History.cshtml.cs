using System.Text.Json;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>Every stored version of a database subscription (also a deleted one): who changed what, before and after, and restore.</summary>
public sealed class HistoryModel(SubscriptionHistory history, SubscriptionStore store) : ConsolePageModel
{
    /// <summary>One changed field of a version: its value before and after, as a person reads it.</summary>
    public sealed record Change(string Field, string Before, string After);

    public sealed record Entry(SubscriptionVersion Version, IReadOnlyList<Change> Changes);

    [FromRoute(Name = "id")] public string Id { get; set; } = "";

    public IReadOnlyList<Entry> Entries { get; private set; } = [];
    public string ETag { get; private set; } = "";
    public bool Deleted { get; private set; }
    public bool ReadOnlySource { get; private set; }
    public string? Error { get; private set; }
    public bool CanRestore => May(Policies.Operator) && !ReadOnlySource;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostRestoreAsync(int version, string? etag, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } notFound)
        {
            return notFound;
        }

        if (!CanRestore)
        {
            return Forbid();
        }

        try
        {
            await store.RestoreAsync(Id, version, etag ?? "", new SubscriptionActor(Actor, HttpContext.ClientAddress()), cancellationToken);
            return Redirect(ConsoleUrls.With(ConsoleUrls.Subscription(Id), ("saved", "restored")));
        }
        catch (Exception ex) when (ex is SubscriptionChangeException or SubscriptionException)
        {
            Error = ex is SubscriptionChangeException { Kind: SubscriptionChangeKind.Stale }
                ? "Not restored: the subscription changed since this page was loaded. The list below is current now; try again."
                : ex.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var versions = await history.ListAsync(Id, cancellationToken);
        if (versions.Count == 0)
        {
            var current = await store.FindAsync(Id, Actor.Scope, cancellationToken);
            if (current is null)
            {
                return NotFound();
            }

            // A file or settings subscription (or one saved before versions were kept): nothing to list.
            ReadOnlySource = current.ReadOnly;
            return null;
        }

        if (OutsideScope(versions[^1].Definition.Carrier) is { } notFound)
        {
            return notFound;
        }

        ETag = SubscriptionETag.Of(versions[^1].Definition, versions[^1].Version);
        Deleted = versions[^1].Deleted;
        Entries = [.. versions.Reverse().Select(v => new Entry(v, Changes(v)))];
        return null;
    }

    private IReadOnlyList<Change> Changes(SubscriptionVersion v)
    {
        using var after = JsonDocument.Parse(SubscriptionETag.Canonical(v.Definition));
        using var before = v.Before is null ? null : JsonDocument.Parse(SubscriptionETag.Canonical(v.Before));
        return [.. v.ChangedFields.Select(f => new Change(f,
            before is not null && before.RootElement.TryGetProperty(f, out var b) ? Show(f, b) : "—",
            after.RootElement.TryGetProperty(f, out var a) ? Show(f, a) : "—"))];
    }

    /// <summary>A value as text; a viewer sees how many recipients, not who.</summary>
    private string Show(string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "(none)",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(e => Show(field, e))),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() > 0).Select(p =>
            $"{p.Name}: {(DefinitionView.SeesAddresses(Actor.Role) || field != "Recipients" ? Show(field, p.Value) : $"{p.Value.GetArrayLength()} addresses")}")),
        _ => value.GetRawText(),
    };
}
