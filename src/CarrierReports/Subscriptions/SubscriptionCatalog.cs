using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using CarrierReports.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CarrierReports.Subscriptions;

public sealed class SubscriptionSourceOptions
{
    public const string Section = "SubscriptionSources";

    /// <summary>Folder of subscription files (<c>*.json</c>, one subscription or an array each). Default <c>config/subscriptions</c>.</summary>
    public string Folder { get; set; } = Path.Combine("config", "subscriptions");
}

/// <summary>
/// All subscriptions, from the configuration folder, the <c>Subscriptions</c> settings section and the database.
/// Ids are unique across the three; a duplicate or invalid subscription is an error that names it and its field.
/// </summary>
public sealed class SubscriptionCatalog(IConfiguration configuration, IOptions<SubscriptionSourceOptions> options, ServiceDatabase database, TimeProvider time)
{
    public const string Section = "Subscriptions";

    /// <summary>How long <see cref="GetAsync"/> reuses the loaded subscriptions. An edit takes effect after this at the latest.</summary>
    public static readonly TimeSpan LookupCacheTime = TimeSpan.FromSeconds(5);

    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlyList<Subscription> All, DateTimeOffset Until);

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Loads every subscription and validates it; throws <see cref="SubscriptionException"/> listing every problem.</summary>
    public async Task<IReadOnlyList<Subscription>> LoadAsync(CancellationToken cancellationToken)
    {
        var (subscriptions, errors) = await LoadUncheckedAsync(cancellationToken);
        foreach (var s in subscriptions)
        {
            errors.AddRange(SubscriptionValidator.Validate(s));
        }

        return errors.Count == 0 ? subscriptions : throw new SubscriptionException(errors);
    }

    /// <summary>
    /// One subscription, for a run. The validated list is reused for <see cref="LookupCacheTime"/>: when a thousand
    /// subscriptions fire in the same minute, each run would otherwise read and validate all of them again.
    /// </summary>
    public async Task<Subscription> GetAsync(string id, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || time.GetUtcNow() >= snapshot.Until)
        {
            snapshot = new Snapshot(await LoadAsync(cancellationToken), time.GetUtcNow() + LookupCacheTime);
            _snapshot = snapshot;
        }

        var all = snapshot.All;

        return all.FirstOrDefault(s => s.Id == id)
               ?? throw new InputException("--subscription", $"'{id}' is not a subscription (known: {string.Join(", ", all.Select(s => s.Id))})");
    }

    /// <summary>Validates and stores a subscription in the database (insert or replace). Ids of file or settings subscriptions cannot be overridden.</summary>
    public async Task SaveAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        subscription.Origin = "database";
        var errors = SubscriptionValidator.Validate(subscription).ToList();
        var (existing, loadErrors) = await LoadUncheckedAsync(cancellationToken);
        errors.AddRange(loadErrors);
        if (existing.FirstOrDefault(s => s.Id == subscription.Id && s.Origin != "database") is { } clash)
        {
            errors.Add($"subscription '{subscription.Id}': Id: already defined in {clash.Origin}; change it there");
        }

        if (errors.Count > 0)
        {
            throw new SubscriptionException(errors);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO cr_subscriptions (id, definition, updated_at) VALUES (@id, @definition, @now)
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """;
        ServiceDatabase.Add(cmd, "id", subscription.Id);
        ServiceDatabase.Add(cmd, "definition", JsonSerializer.Serialize(subscription, Json));
        ServiceDatabase.Add(cmd, "now", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(List<Subscription> Subscriptions, List<string> Errors)> LoadUncheckedAsync(CancellationToken cancellationToken)
    {
        var list = new List<Subscription>();
        var errors = new List<string>();

        var folder = options.Value.Folder;
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var origin = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
                try
                {
                    var text = await File.ReadAllTextAsync(file, cancellationToken);
                    var items = text.TrimStart().StartsWith('[')
                        ? JsonSerializer.Deserialize<List<Subscription>>(text, Json) ?? []
                        : [JsonSerializer.Deserialize<Subscription>(text, Json)!];
                    foreach (var s in items)
                    {
                        s.Origin = origin;
                        list.Add(s);
                    }
                }
                catch (JsonException ex)
                {
                    errors.Add($"{origin}: {(ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') + ": " : "")}{ex.Message}");
                }
            }
        }

        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            try
            {
                var s = child.Get<Subscription>(o => o.ErrorOnUnknownConfiguration = true) ?? new Subscription();
                s.Origin = $"settings {Section}:{child.Key}";
                list.Add(s);
            }
            catch (InvalidOperationException ex)
            {
                errors.Add($"settings {Section}:{child.Key}: {ex.Message}");
            }

        }

        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT id, definition FROM cr_subscriptions ORDER BY id";
            await using DbDataReader reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                try
                {
                    var s = JsonSerializer.Deserialize<Subscription>(reader.GetString(1), Json)!;
                    s.Origin = "database";
                    list.Add(s);
                }
                catch (JsonException ex)
                {
                    errors.Add($"database subscription '{reader.GetString(0)}': {ex.Message}");
                }
            }
        }

        foreach (var group in list.GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"subscription '{group.Key}': Id: defined more than once ({string.Join(", ", group.Select(s => s.Origin))})");
        }

        return (list, errors);
    }

    /// <summary>Turns a database subscription on or off (<c>subscriptions enable|disable</c>).</summary>
    public async Task SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        var subscription = await FindInDatabaseAsync(id, cancellationToken);
        subscription.Enabled = enabled;
        await ChangeDatabaseAsync("UPDATE cr_subscriptions SET definition = @definition, updated_at = @now WHERE id = @id", subscription, cancellationToken);
    }

    /// <summary>Removes a database subscription (<c>subscriptions delete</c>); its runs stay in the ledger.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        await ChangeDatabaseAsync("DELETE FROM cr_subscriptions WHERE id = @id", await FindInDatabaseAsync(id, cancellationToken), cancellationToken);

    /// <summary>A subscription only the database defines; one from a file or the settings is changed where it is written.</summary>
    private async Task<Subscription> FindInDatabaseAsync(string id, CancellationToken cancellationToken)
    {
        var (all, _) = await LoadUncheckedAsync(cancellationToken);
        var found = all.FirstOrDefault(s => s.Id == id)
                    ?? throw new InputException("id", $"'{id}' is not a subscription (known: {string.Join(", ", all.Select(s => s.Id))})");
        return found.Origin == "database" ? found : throw new InputException("id", $"'{id}' is defined in {found.Origin}, not in the database; change it there");
    }

    private async Task ChangeDatabaseAsync(string sql, Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        ServiceDatabase.Add(cmd, "id", subscription.Id);
        if (sql.Contains("@definition", StringComparison.Ordinal))
        {
            ServiceDatabase.Add(cmd, "definition", JsonSerializer.Serialize(subscription, Json));
            ServiceDatabase.Add(cmd, "now", time.GetUtcNow());
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken);
        _snapshot = null;
    }
}

/// <summary>One or more invalid subscriptions; the message lists every problem, one per line.</summary>
public sealed class SubscriptionException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
