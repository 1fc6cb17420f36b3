using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CarrierReports.Subscriptions;

/// <summary>
/// The entity tag of a stored subscription: its version and a hash of its definition in the one canonical JSON form.
/// The hash catches a change made outside the API (e.g. <c>subscriptions save</c>) even when the version did not move.
/// </summary>
public static class SubscriptionETag
{
    public static string Of(SubscriptionDefinition definition, int version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(definition)));
        return $"\"{version}-{Convert.ToHexStringLower(hash)[..20]}\"";
    }

    /// <summary>The stored JSON form; comparing two of these says whether two definitions are the same.</summary>
    public static string Canonical(SubscriptionDefinition definition) => JsonSerializer.Serialize(definition, SubscriptionCatalog.Json);

    /// <summary>The top-level fields that differ between two definitions (all of them when <paramref name="before"/> is null).</summary>
    public static IReadOnlyList<string> ChangedFields(SubscriptionDefinition? before, SubscriptionDefinition after)
    {
        using var a = JsonDocument.Parse(Canonical(after));
        if (before is null)
        {
            return [.. a.RootElement.EnumerateObject().Select(p => p.Name)];
        }

        using var b = JsonDocument.Parse(Canonical(before));
        return [.. a.RootElement.EnumerateObject()
            .Where(p => !b.RootElement.TryGetProperty(p.Name, out var old) || old.GetRawText() != p.Value.GetRawText())
            .Select(p => p.Name)];
    }
}
