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
public sealed class SubscriptionCatalog(IConfiguration configuration, IOptions<SubscriptionSourceOptions> options, IOptions<RecipientLimitOptions> limits,
    SubscriptionTable table, TimeProvider time)
{
    public const string Section = "Subscriptions";

    /// <summary>What <see cref="Subscription.Origin"/> says for a subscription saved in the service database.</summary>
    public const string DatabaseOrigin = "database";

    /// <summary>How long <see cref="GetAsync"/> reuses the loaded subscriptions. An edit takes effect after this at the latest.</summary>
    public static readonly TimeSpan LookupCacheTime = TimeSpan.FromSeconds(5);

    private volatile Snapshot? _snapshot;
    private long _generation;
    private int _reloading;

    private sealed record Snapshot(IReadOnlyList<Subscription> All, DateTimeOffset Until);

    /// <summary>A definition with where it came from, before validation.</summary>
    private sealed record Source(SubscriptionDefinition Definition, string Origin);

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Loads and validates every subscription; throws <see cref="SubscriptionException"/> listing every problem.</summary>
    public async Task<IReadOnlyList<Subscription>> LoadAsync(CancellationToken cancellationToken)
    {
        var (sources, errors) = await LoadSourcesAsync(cancellationToken);
        var list = Validate(sources, errors);
        _snapshot = new Snapshot(list, time.GetUtcNow() + LookupCacheTime);
        return list;
    }

    /// <summary>
    /// The folder's and the settings' subscriptions only, validated: a few, read at every call. The API pages the
    /// database's (there may be tens of thousands) through <see cref="FromDatabase"/> instead of loading them all.
    /// </summary>
    public async Task<IReadOnlyList<Subscription>> LoadOutsideDatabaseAsync(CancellationToken cancellationToken)
    {
        var (sources, errors) = await LoadSourcesAsync(cancellationToken, includeDatabase: false);
        return Validate(sources, errors);
    }

    /// <summary>One database row, validated as <see cref="LoadAsync"/> does; the error names the subscription.</summary>
    public Subscription FromDatabase(SubscriptionRow row)
    {
        SubscriptionDefinition definition;
        try
        {
            definition = JsonSerializer.Deserialize<SubscriptionDefinition>(row.Definition, Json)!;
        }
        catch (JsonException ex)
        {
            throw new SubscriptionException([$"database subscription '{row.Id}': {ex.Message}"]);
        }

        return Subscription.Create(definition, DatabaseOrigin, limits.Value.MaxRecipients);
    }

    /// <summary>
    /// Every subscription, reused like <see cref="GetAsync"/> (and reloaded at once after a change in this process):
    /// for pages that show figures over all of them on every request. When the list is older than
    /// <see cref="LookupCacheTime"/> (but less than twice that), it is still returned and a reload starts in the
    /// background, so no page request waits for reading and validating 10,000 subscriptions.
    /// </summary>
    public async Task<IReadOnlyList<Subscription>> LoadRecentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var now = time.GetUtcNow();
        if (snapshot is null || now >= snapshot.Until + LookupCacheTime)
        {
            return await LoadAsync(cancellationToken);
        }

        if (now >= snapshot.Until && Interlocked.CompareExchange(ref _reloading, 1, 0) == 0)
        {
            _ = ReloadAsync();
        }

        return snapshot.All;
    }

    /// <summary>
    /// The background reload of <see cref="LoadRecentAsync"/>. It is kept only when no change happened in this process
    /// meanwhile (it may have read before the change); a failure drops the list, so the next caller loads it and sees the error.
    /// </summary>
    private async Task ReloadAsync()
    {
        var generation = Generation;
        try
        {
            var (sources, errors) = await LoadSourcesAsync(CancellationToken.None);
            var list = Validate(sources, errors);
            if (Generation == generation)
            {
                _snapshot = new Snapshot(list, time.GetUtcNow() + LookupCacheTime);
            }
        }
        catch (Exception)
        {
            _snapshot = null;
        }
        finally
        {
            Interlocked.Exchange(ref _reloading, 0);
        }
    }

    private List<Subscription> Validate(List<Source> sources, List<string> errors)
    {
        var list = new List<Subscription>();
        foreach (var source in sources)
        {
            try
            {
                list.Add(Subscription.Create(source.Definition, source.Origin, limits.Value.MaxRecipients));
            }
            catch (SubscriptionException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new SubscriptionException(errors);
        }

        return list;
    }

    /// <summary>
    /// One subscription, for a run. The validated list is reused for <see cref="LookupCacheTime"/>: when a thousand
    /// subscriptions fire in the same minute, each run would otherwise read and validate all of them again.
    /// </summary>
    public async Task<Subscription> GetAsync(string id, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var all = snapshot is not null && time.GetUtcNow() < snapshot.Until ? snapshot.All : await LoadAsync(cancellationToken);
        return all.FirstOrDefault(s => s.Id == id)
               ?? throw new InputException("--subscription", $"'{id}' is not a subscription (known: {string.Join(", ", all.Select(s => s.Id))})");
    }

    /// <summary>Validates and stores a subscription in the database (insert or replace). Ids of file or settings subscriptions cannot be overridden.</summary>
    public async Task<Subscription> SaveAsync(SubscriptionDefinition definition, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        Subscription? subscription = null;
        try
        {
            subscription = Subscription.Create(definition, DatabaseOrigin, limits.Value.MaxRecipients);
        }
        catch (SubscriptionException ex)
        {
            errors.AddRange(ex.Errors);
        }

        var (existing, loadErrors) = await LoadSourcesAsync(cancellationToken);
        errors.AddRange(loadErrors);
        if (existing.FirstOrDefault(s => s.Definition.Id == definition.Id && s.Origin != DatabaseOrigin) is { } clash)
        {
            errors.Add($"subscription '{definition.Id}': Id: already defined in {clash.Origin}; change it there");
        }

        if (errors.Count > 0)
        {
            throw new SubscriptionException(errors);
        }

        await table.UpsertAsync(definition.Id, JsonSerializer.Serialize(definition, Json), time.GetUtcNow(), cancellationToken);
        Invalidate();
        return subscription!;
    }

    private async Task<(List<Source> Sources, List<string> Errors)> LoadSourcesAsync(CancellationToken cancellationToken, bool includeDatabase = true)
    {
        var list = new List<Source>();
        var errors = new List<string>();
        await ReadFolderAsync(list, errors, cancellationToken);

        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            try
            {
                var d = child.Get<SubscriptionDefinition>(o => o.ErrorOnUnknownConfiguration = true) ?? new SubscriptionDefinition();
                list.Add(new Source(d, $"settings {Section}:{child.Key}"));
            }
            catch (InvalidOperationException ex)
            {
                errors.Add($"settings {Section}:{child.Key}: {ex.Message}");
            }
        }

        foreach (var row in includeDatabase ? await table.ListAsync(cancellationToken) : [])
        {
            try
            {
                list.Add(new Source(JsonSerializer.Deserialize<SubscriptionDefinition>(row.Definition, Json)!, DatabaseOrigin));
            }
            catch (JsonException ex)
            {
                errors.Add($"database subscription '{row.Id}': {ex.Message}");
            }
        }

        foreach (var group in list.GroupBy(s => s.Definition.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"subscription '{group.Key}': Id: defined more than once ({string.Join(", ", group.Select(s => s.Origin))})");
        }

        return (list, errors);
    }

    /// <summary>Forgets the loaded subscriptions after a change made elsewhere (the API's versioned store), so lookups see it at once.</summary>
    public void Invalidate()
    {
        _snapshot = null;
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Changes every time this process changes a subscription: caches derived from the subscriptions compare it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Turns a database subscription on or off (<c>subscriptions enable|disable</c>).</summary>
    public async Task SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        var definition = await FindInDatabaseAsync(id, cancellationToken);
        definition.Enabled = enabled;
        await table.UpsertAsync(definition.Id, JsonSerializer.Serialize(definition, Json), time.GetUtcNow(), cancellationToken);
        Invalidate();
    }

    /// <summary>Removes a database subscription (<c>subscriptions delete</c>); its runs stay in the ledger.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var definition = await FindInDatabaseAsync(id, cancellationToken);
        await table.DeleteAsync(definition.Id, cancellationToken);
        Invalidate();
    }

    /// <summary>A subscription only the database defines; one from a file or the settings is changed where it is written.</summary>
    private async Task<SubscriptionDefinition> FindInDatabaseAsync(string id, CancellationToken cancellationToken)
    {
        var (all, _) = await LoadSourcesAsync(cancellationToken);
        var found = all.FirstOrDefault(s => s.Definition.Id == id)
                    ?? throw new InputException("id", $"'{id}' is not a subscription (known: {string.Join(", ", all.Select(s => s.Definition.Id))})");
        return found.Origin == DatabaseOrigin ? found.Definition : throw new InputException("id", $"'{id}' is defined in {found.Origin}, not in the database; change it there");
    }

    private async Task ReadFolderAsync(List<Source> list, List<string> errors, CancellationToken cancellationToken)
    {
        var folder = options.Value.Folder;
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var origin = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
            try
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken);
                var items = text.TrimStart().StartsWith('[')
                    ? JsonSerializer.Deserialize<List<SubscriptionDefinition>>(text, Json) ?? []
                    : [JsonSerializer.Deserialize<SubscriptionDefinition>(text, Json)!];
                list.AddRange(items.Select(d => new Source(d, origin)));
            }
            catch (JsonException ex)
            {
                errors.Add($"{origin}: {(ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') + ": " : "")}{ex.Message}");
            }
        }
    }
}
