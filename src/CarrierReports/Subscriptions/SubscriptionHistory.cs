using System.Text.Json;
using Dapper;

namespace CarrierReports.Subscriptions;

/// <summary>Reads <c>cr_subscription_versions</c>: a subscription's history, and the latest version of each.</summary>
public sealed class SubscriptionHistory(SubscriptionVersionSchema schema)
{
    private sealed class Row
    {
        public string SubscriptionId { get; set; } = "";
        public int Version { get; set; }
        public string Action { get; set; } = "";
        public int Deleted { get; set; }
        public string Definition { get; set; } = "";
        public string? BeforeDefinition { get; set; }
        public string ChangedFields { get; set; } = "";
        public string ChangedBy { get; set; } = "";
        public DateTime ChangedAt { get; set; }
    }

    /// <summary>Every version of <paramref name="id"/>, oldest first; empty when it has none.</summary>
    public async Task<IReadOnlyList<SubscriptionVersion>> ListAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT subscription_id AS SubscriptionId, version AS Version, action AS Action, deleted AS Deleted, definition AS Definition,
                   before_definition AS BeforeDefinition, changed_fields AS ChangedFields, changed_by AS ChangedBy, changed_at AS ChangedAt
            FROM cr_subscription_versions WHERE subscription_id = @id ORDER BY version
            """, new { id }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SubscriptionVersion(r.SubscriptionId, r.Version, r.Action, r.Deleted != 0, Parse(r.Definition),
            r.BeforeDefinition is null ? null : Parse(r.BeforeDefinition),
            r.ChangedFields.Length == 0 ? [] : r.ChangedFields.Split(','), r.ChangedBy, Storage.Instants.FromDb(r.ChangedAt)))];
    }

    /// <summary>The latest version number of every subscription that has one.</summary>
    public async Task<IReadOnlyDictionary<string, int>> LatestVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, int Version)>(new CommandDefinition(
            "SELECT subscription_id, MAX(version) FROM cr_subscription_versions GROUP BY subscription_id", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Version, StringComparer.Ordinal);
    }

    /// <summary>The latest version number of each of <paramref name="ids"/> that has one (one page of a list).</summary>
    public async Task<IReadOnlyDictionary<string, int>> LatestVersionsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, int>();
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, int Version)>(new CommandDefinition(
            $"SELECT subscription_id, MAX(version) FROM cr_subscription_versions WHERE subscription_id {(schema.IsPostgres ? "= ANY(@Ids)" : "IN @Ids")} GROUP BY subscription_id",
            new { Ids = ids.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Version, StringComparer.Ordinal);
    }

    private static SubscriptionDefinition Parse(string text) => JsonSerializer.Deserialize<SubscriptionDefinition>(text, SubscriptionCatalog.Json)!;
}
