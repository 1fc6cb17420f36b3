using CarrierReports.Access;
using System.Data.Common;
using System.Text.Json;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CarrierReports.Subscriptions;

/// <summary>
/// Versioned changes to database subscriptions, for the API: each change checks the caller's entity tag, writes the
/// live row, a new row of <c>cr_subscription_versions</c> and the audit row in one transaction, so two people editing
/// one subscription never silently overwrite each other and no change goes unrecorded.
/// </summary>
public sealed partial class SubscriptionStore(
    SubscriptionCatalog catalog, SubscriptionVersionSchema schema, AuditTrail trail, SubscriptionHistory history, SubscriptionTable table, TimeProvider time)
{
    /// <summary>Every subscription of every source, sorted by id, with its version.</summary>
    public async Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await catalog.LoadAsync(cancellationToken);
        var versions = await history.LatestVersionsAsync(cancellationToken);
        return [.. all.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new StoredSubscription(s, versions.GetValueOrDefault(s.Id)))];
    }

    public Task<StoredSubscription> CreateAsync(SubscriptionDefinition definition, SubscriptionActor who, CancellationToken cancellationToken) =>
        ChangeAsync(definition.Id, null, who, "create", _ => definition, cancellationToken);

    public Task<StoredSubscription> UpdateAsync(string id, SubscriptionDefinition definition, string ifMatch, SubscriptionActor who, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, who, "update", _ => definition, cancellationToken);

    public Task<StoredSubscription> SetEnabledAsync(string id, bool enabled, string ifMatch, SubscriptionActor who, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, who, enabled ? "enable" : "disable", current => WithEnabled(current!, enabled), cancellationToken);

    /// <summary>Soft delete: the scheduler stops seeing it; its history stays and <see cref="RestoreAsync"/> brings it back.</summary>
    public Task<StoredSubscription> DeleteAsync(string id, string ifMatch, SubscriptionActor who, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, who, "delete", _ => null, cancellationToken);

    /// <summary>Makes version <paramref name="version"/>'s definition current again, as a new version (deleted or not).</summary>
    public async Task<StoredSubscription> RestoreAsync(string id, int version, string ifMatch, SubscriptionActor who, CancellationToken cancellationToken)
    {
        var old = (await history.ListAsync(id, cancellationToken)).FirstOrDefault(v => v.Version == version && !v.Deleted)
                  ?? throw new SubscriptionChangeException(SubscriptionChangeKind.NotFound, $"subscription '{id}' has no version {version} to restore");
        return await ChangeAsync(id, ifMatch, who, "restore", _ => old.Definition, cancellationToken);
    }

    /// <summary>The current state for a change: the live definition (null when deleted or never made) and the latest version.</summary>
    private sealed record Current(string? LiveText, SubscriptionDefinition? Live, int Version, SubscriptionDefinition? LastDeleted)
    {
        public string ETag => SubscriptionETag.Of((Live ?? LastDeleted)!, Version);
    }

    /// <param name="ifMatch">Null only for a creation.</param>
    /// <param name="change">The new definition from the current one; null deletes.</param>
    private async Task<StoredSubscription> ChangeAsync(string id, string? ifMatch, SubscriptionActor who, string action,
        Func<SubscriptionDefinition?, SubscriptionDefinition?> change, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(id, cancellationToken);
        await trail.EnsureSchemaAsync(cancellationToken);
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadCurrentAsync(connection, tx, id, cancellationToken);
        CheckPrecondition(id, ifMatch, who.Actor.Scope, current, action == "restore");

        var after = change(current.Live);
        var subscription = after is null ? null : Validate(id, after, who.Actor.Scope);
        var before = current.Live;
        var stored = after ?? current.Live!;
        var version = await WriteAsync(connection, tx, id, current, after, action, who, cancellationToken);
        await trail.AppendAsync(new AuditRecord(who.Actor, $"subscriptions.{action}", id,
            AuditRecord.Json(before), AuditRecord.Json(after), who.ClientAddress), connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        catalog.Invalidate();
        return new StoredSubscription(subscription ?? Subscription.Create(stored, SubscriptionCatalog.DatabaseOrigin), version);
    }

    /// <summary>Writes the live row (compare-and-swap on the definition read) and the new version; 412 when either lost a race.</summary>
    private async Task<int> WriteAsync(DbConnection connection, DbTransaction tx, string id, Current current, SubscriptionDefinition? after, string action,
        SubscriptionActor who, CancellationToken cancellationToken)
    {
        var version = current.Version + 1;
        var before = current.Live;
        var stored = after ?? current.Live!;
        var text = SubscriptionETag.Canonical(stored);
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            var written = after is null
                ? await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cr_subscriptions WHERE id = @id AND definition = @old",
                    new { id, old = current.LiveText }, tx, cancellationToken: cancellationToken))
                : current.LiveText is null
                    ? await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO cr_subscriptions (id, definition, updated_at, carrier) VALUES (@id, @text, @now, @carrier) ON CONFLICT (id) DO NOTHING",
                        new { id, text, now, carrier = stored.Carrier }, tx, cancellationToken: cancellationToken))
                    : await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE cr_subscriptions SET definition = @text, updated_at = @now, carrier = @carrier WHERE id = @id AND definition = @old",
                        new { id, text, now, carrier = stored.Carrier, old = current.LiveText }, tx, cancellationToken: cancellationToken));
            if (written != 1)
            {
                throw Stale(id);
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO cr_subscription_versions
                    (subscription_id, version, action, deleted, definition, before_definition, changed_fields, changed_by, changed_at)
                VALUES (@id, @version, @action, @deleted, @text, @beforeText, @fields, @by, @now)
                """, new
            {
                id, version, action, deleted = after is null ? 1 : 0, text,
                beforeText = before is null ? null : SubscriptionETag.Canonical(before),
                fields = string.Join(',', after is null ? [] : SubscriptionETag.ChangedFields(before, after)),
                by = who.Actor.Name, now,
            }, tx, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            throw Stale(id);
        }


        return version;
    }

    private static void CheckPrecondition(string id, string? ifMatch, CarrierScope scope, Current current, bool deletedAllowed)
    {
        var exists = current.Live is not null || current.LastDeleted is not null;
        if (ifMatch is null)
        {
            if (current.Live is not null)
            {
                throw new SubscriptionChangeException(SubscriptionChangeKind.Conflict, $"subscription '{id}' already exists; change it with PUT and If-Match");
            }

            if (current.LastDeleted is not null && !scope.Allows(current.LastDeleted.Carrier))
            {
                throw NotFound(id);
            }

            return;
        }

        if (!exists || (current.Live is null && !deletedAllowed) || !scope.Allows((current.Live ?? current.LastDeleted)!.Carrier))
        {
            throw NotFound(id);
        }

        if (ifMatch != "*" && ifMatch != current.ETag)
        {
            throw Stale(id);
        }
    }

    /// <summary>Runs the same validation as a file or <c>subscriptions save</c>; a carrier outside the scope does not exist for the caller.</summary>
    private static Subscription Validate(string id, SubscriptionDefinition definition, CarrierScope scope)
    {
        if (definition.Id != id)
        {
            throw new SubscriptionException([$"subscription '{id}' ({SubscriptionCatalog.DatabaseOrigin}): Id: '{definition.Id}' does not match the subscription in the URL"]);
        }

        var subscription = Subscription.Create(definition, SubscriptionCatalog.DatabaseOrigin);
        return scope.Allows(subscription.Carrier)
            ? subscription
            : throw new SubscriptionChangeException(SubscriptionChangeKind.NotFound, $"carrier '{subscription.Carrier}' does not exist");
    }

    /// <summary>A subscription from a file or the settings is changed where it is written, never over it.</summary>
    private async Task CheckWritableAsync(string id, CancellationToken cancellationToken)
    {
        var found = (await catalog.LoadAsync(cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (found is not null && found.Origin != SubscriptionCatalog.DatabaseOrigin)
        {
            throw new SubscriptionChangeException(SubscriptionChangeKind.Conflict,
                $"subscription '{id}' is defined in {found.Origin}, not in the database; change it there");
        }
    }

    private async Task<Current> ReadCurrentAsync(DbConnection connection, DbTransaction tx, string id, CancellationToken cancellationToken)
    {
        var lockRow = schema.IsPostgres ? " FOR UPDATE" : "";
        var live = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT definition FROM cr_subscriptions WHERE id = @id{lockRow}", new { id }, tx, cancellationToken: cancellationToken));
        var last = await connection.QuerySingleOrDefaultAsync<(int Version, int Deleted, string Definition)?>(new CommandDefinition(
            "SELECT version, deleted, definition FROM cr_subscription_versions WHERE subscription_id = @id ORDER BY version DESC LIMIT 1",
            new { id }, tx, cancellationToken: cancellationToken));
        var lastDeleted = live is null && last is { Deleted: 1 } d ? Parse(d.Definition) : null;
        return new Current(live, live is null ? null : Parse(live), last?.Version ?? 0, lastDeleted);
    }

    private static SubscriptionDefinition Parse(string text) => JsonSerializer.Deserialize<SubscriptionDefinition>(text, SubscriptionCatalog.Json)!;

    private static SubscriptionDefinition WithEnabled(SubscriptionDefinition d, bool enabled)
    {
        var copy = Parse(SubscriptionETag.Canonical(d));
        copy.Enabled = enabled;
        return copy;
    }

    private static bool IsUniqueViolation(DbException ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteErrorCode: 19 };

    private static SubscriptionChangeException Stale(string id) =>
        new(SubscriptionChangeKind.Stale, $"subscription '{id}' was changed by someone else since you read it; read it again and reapply your change");

    private static SubscriptionChangeException NotFound(string id) => new(SubscriptionChangeKind.NotFound, $"subscription '{id}' does not exist");
}

/// <summary>Who makes a change, and from where (the client address for the audit trail; null for the CLI).</summary>
public sealed record SubscriptionActor(Actor Actor, string? ClientAddress);
