using Dapper;

namespace CarrierReports.Storage;

/// <summary>One row of <c>cr_subscriptions</c>: a subscription saved by support staff, as its JSON definition.</summary>
public sealed record SubscriptionRow(string Id, string Definition);

/// <summary>The table of subscriptions saved to the service database (<c>subscriptions save</c>).</summary>
public sealed class SubscriptionTable(ServiceDatabase database)
{
    public async Task<IReadOnlyList<SubscriptionRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(
            new CommandDefinition("SELECT id AS Id, definition AS Definition FROM cr_subscriptions ORDER BY id", cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows after <paramref name="afterId"/>, in ordinal id order (the API's keyset order).
    /// PostgreSQL compares with the "C" collation, as the API does: a language collation would sort '-' and '_' elsewhere
    /// (ix_cr_subscriptions_id_c serves it).
    /// </summary>
    public async Task<IReadOnlyList<SubscriptionRow>> PageAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        var id = database.IsPostgres ? "id COLLATE \"C\"" : "id";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT id AS Id, definition AS Definition FROM cr_subscriptions {(afterId is null ? "" : $"WHERE {id} > @After")} ORDER BY {id} LIMIT {limit}",
            new { After = afterId }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>The rows of these ids that exist.</summary>
    public async Task<IReadOnlyList<SubscriptionRow>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT id AS Id, definition AS Definition FROM cr_subscriptions WHERE id {(database.IsPostgres ? "= ANY(@Ids)" : "IN @Ids")}",
            new { Ids = ids.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>Inserts or replaces the row of <paramref name="id"/>.</summary>
    public async Task UpsertAsync(string id, string definition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cr_subscriptions (id, definition, updated_at) VALUES (@Id, @Definition, @Now)
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, new { Id = id, Definition = definition, Now = now.UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the row of <paramref name="id"/>; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cr_subscriptions WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)) > 0;
    }
}
