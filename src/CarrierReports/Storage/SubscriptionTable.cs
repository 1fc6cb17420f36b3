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
    /// (ix_cr_subscriptions_id_c serves it). With <paramref name="carriers"/>, only rows of those carriers (by the
    /// <c>carrier</c> column, ix_cr_subscriptions_carrier) and rows whose column is not filled yet.
    /// </summary>
    public async Task<IReadOnlyList<SubscriptionRow>> PageAsync(string? afterId, int limit, IReadOnlyCollection<string>? carriers, CancellationToken cancellationToken)
    {
        var id = database.IsPostgres ? "id COLLATE \"C\"" : "id";
        var conditions = new List<string>();
        if (afterId is not null)
        {
            conditions.Add($"{id} > @After");
        }

        if (carriers is not null)
        {
            conditions.Add($"(carrier {(database.IsPostgres ? "= ANY(@Carriers)" : "IN @Carriers")} OR carrier IS NULL)");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT id AS Id, definition AS Definition FROM cr_subscriptions {(conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions))} ORDER BY {id} LIMIT {limit}",
            new { After = afterId, Carriers = carriers?.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>
    /// The distinct carriers of the rows (of <paramref name="carriers"/> only, when given), from the <c>carrier</c>
    /// column through its index; a row whose column is not filled yet is read from its definition.
    /// </summary>
    public async Task<IReadOnlyList<string>> CarriersAsync(IReadOnlyCollection<string>? carriers, CancellationToken cancellationToken)
    {
        var only = carriers is null ? "" : database.IsPostgres ? " AND carrier = ANY(@Carriers)" : " AND carrier IN @Carriers";
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT carrier FROM cr_subscriptions WHERE carrier IS NOT NULL{only}", new { Carriers = carriers?.ToArray() }, cancellationToken: cancellationToken))).ToList();
        var unfilled = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT definition FROM cr_subscriptions WHERE carrier IS NULL", cancellationToken: cancellationToken));
        found.AddRange(unfilled.Select(SubscriptionCarrierColumn.Of).OfType<string>());
        return found;
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

    /// <summary>Inserts or replaces the row of <paramref name="id"/>, with the definition's carrier beside it (<see cref="SubscriptionCarrierColumn"/>).</summary>
    public async Task UpsertAsync(string id, string definition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cr_subscriptions (id, definition, updated_at, carrier) VALUES (@Id, @Definition, @Now, @Carrier)
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, carrier = excluded.carrier
            """, new { Id = id, Definition = definition, Now = now.UtcDateTime, Carrier = SubscriptionCarrierColumn.Of(definition) }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the row of <paramref name="id"/>; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cr_subscriptions WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)) > 0;
    }
}
