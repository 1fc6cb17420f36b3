using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace CarrierReports.Storage;

/// <summary>
/// <c>cr_subscriptions.carrier</c>: the carrier of the definition, kept beside it by every write, so a carrier-scoped
/// list reads that carrier's rows through <c>ix_cr_subscriptions_carrier</c> instead of reading and validating every
/// definition (a one-carrier viewer kept 1 row in 50 of 10,000). Added to an existing database by the migration, which
/// also fills it for rows written before (or by a writer that does not set it). A row whose column is still null is
/// read by every scoped list, so the column only ever narrows what is read; the definition decides.
/// </summary>
public static class SubscriptionCarrierColumn
{
    /// <summary>Adds the column and its index when missing and fills the rows that have none; inside the caller's transaction when given.</summary>
    public static async Task EnsureAsync(DbConnection connection, DbTransaction? tx, bool isPostgres, CancellationToken cancellationToken)
    {
        // Checked first rather than ADD COLUMN IF NOT EXISTS: SQLite has no such clause, and on PostgreSQL an ALTER
        // takes the table's exclusive lock at every start even when there is nothing to do.
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(isPostgres
            ? "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cr_subscriptions' AND column_name = 'carrier'"
            : "SELECT count(*) FROM pragma_table_info('cr_subscriptions') WHERE name = 'carrier'", transaction: tx, cancellationToken: cancellationToken)) > 0;
        if (!exists)
        {
            await connection.ExecuteAsync(new CommandDefinition("ALTER TABLE cr_subscriptions ADD COLUMN carrier text", transaction: tx, cancellationToken: cancellationToken));
        }

        var id = isPostgres ? "id COLLATE \"C\"" : "id";
        await connection.ExecuteAsync(new CommandDefinition($"CREATE INDEX IF NOT EXISTS ix_cr_subscriptions_carrier ON cr_subscriptions (carrier, {id})",
            transaction: tx, cancellationToken: cancellationToken));
        await FillAsync(connection, tx, cancellationToken);
    }

    /// <summary>
    /// Sets the column from the definition where it is null. A definition that does not parse keeps null (the list
    /// then reports it as before); the update is conditional on the definition read, so a concurrent edit wins.
    /// </summary>
    private static async Task FillAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<(string Id, string Definition)>(new CommandDefinition(
            "SELECT id, definition FROM cr_subscriptions WHERE carrier IS NULL", transaction: tx, cancellationToken: cancellationToken))).ToList();
        var updates = rows.Select(r => new { r.Id, r.Definition, Carrier = Of(r.Definition) }).Where(u => u.Carrier is not null).ToList();
        if (updates.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE cr_subscriptions SET carrier = @Carrier WHERE id = @Id AND definition = @Definition AND carrier IS NULL",
                updates, tx, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The definition's <c>Carrier</c> as the catalog reads it (property names in any case); null when it has none or does not parse.</summary>
    public static string? Of(string definition)
    {
        try
        {
            using var doc = JsonDocument.Parse(definition, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // The last of duplicate names counts, as for the deserializer.
            string? carrier = null;
            foreach (var p in doc.RootElement.EnumerateObject().Where(p => string.Equals(p.Name, "Carrier", StringComparison.OrdinalIgnoreCase)))
            {
                carrier = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
            }

            return carrier;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
