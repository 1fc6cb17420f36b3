using CarrierReports.Health;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using CarrierReports.WebConsole.Overview;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// The subscriptions the user's carrier scope allows, filtered like <c>GET /api/v1/subscriptions</c> (carrier, enabled,
/// source) plus a text search and the overview's failing/overdue filters, in keyset pages by id.
/// </summary>
public sealed class IndexModel(SubscriptionStore store, OverviewQueries overview, OverdueListCache overdueList, ServiceDatabase database,
    IOptions<HealthOptions> health, TimeProvider time) : ConsolePageModel
{
    public const int PageSize = 50;

    public sealed record Row(StoredSubscription Stored, FirePreview? Next, RunRecord? LastRun, bool Overdue)
    {
        public Subscription S => Stored.Subscription;
    }

    [FromQuery(Name = "q")] public string? Search { get; set; }
    [FromQuery] public string? Carrier { get; set; }
    [FromQuery] public string? Enabled { get; set; }
    [FromQuery] public string? Source { get; set; }
    [FromQuery] public bool Failing { get; set; }
    [FromQuery] public bool Overdue { get; set; }
    [FromQuery] public string? After { get; set; }

    /// <summary>Set after a deletion, to offer the way back (its history).</summary>
    [FromQuery] public string? Deleted { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<string> Carriers { get; private set; } = [];
    public string? NextUrl { get; private set; }
    public IReadOnlyList<string> LoadErrors { get; private set; } = [];
    public bool Filtered => Search is { Length: > 0 } || Carrier is { Length: > 0 } || Enabled is { Length: > 0 } || Source is { Length: > 0 } || Failing || Overdue;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The carrier picker needs every carrier: the carrier column answers it (loading every subscription, even
            // reused for a few seconds, put a 0.5-1 s request in every 5 s).
            Carriers = await store.CarriersAsync(Actor.Scope, cancellationToken);
            var afterId = After is { Length: > 0 } ? DecodeAfter(After) : null;
            var (rows, more) = Failing || Overdue ? await ByLastRunAsync(afterId, cancellationToken) : await PageAsync(afterId, cancellationToken);
            Rows = rows;
            NextUrl = more ? ListUrl(("after", KeysetCursor.Encode(Rows[^1].S.Id))) : null;
        }
        catch (SubscriptionException ex)
        {
            LoadErrors = ex.Errors;
        }
    }

    /// <summary>
    /// One page read in id batches as the API's list does (<see cref="SubscriptionStore.PageAsync"/>): loading and
    /// validating all 10,000 subscriptions for 50 rows took most of this page's time.
    /// </summary>
    private async Task<(List<Row> Rows, bool More)> PageAsync(string? afterId, CancellationToken cancellationToken)
    {
        var (page, more) = await store.PageAsync(s => Actor.Scope.Allows(s.Carrier) && Matches(s), afterId, PageSize,
            SubscriptionStore.CarriersToRead(Actor.Scope, Carrier is { Length: > 0 } ? Carrier : null), cancellationToken);
        var runs = await LatestRuns.ForAsync(database, [.. page.Select(s => s.Subscription.Id)], cancellationToken);
        var now = time.GetUtcNow();
        return ([.. page.Select(s => RowOf(s, runs, now))], more);
    }

    /// <summary>
    /// The overview's failing and overdue lists, as the overview counts them: failing from the failed runs of the last
    /// 7 days (an index range, not every run grouped), overdue from the health check's grouped statements; only the
    /// page's subscriptions are then loaded. Both filters together list what is in both.
    /// </summary>
    private async Task<(List<Row> Rows, bool More)> ByLastRunAsync(string? afterId, CancellationToken cancellationToken)
    {
        var overdue = Overdue ? await OverdueIdsAsync(afterId, cancellationToken) : null;
        var now = time.GetUtcNow();
        List<StoredSubscription> kept;
        if (Failing)
        {
            kept = await FailingAsync(afterId, s => overdue is null || overdue.Contains(s.Id), now, cancellationToken);
        }
        else
        {
            kept = [.. await store.ByIdsAsync([.. overdue!.Take(PageSize + 1)], cancellationToken)];
        }

        var page = kept.Take(PageSize).ToList();
        var runs = await LatestRuns.ForAsync(database, [.. page.Select(s => s.Subscription.Id)], cancellationToken);
        var rows = page.Select(s => RowOf(s, runs, now)).Select(r => overdue is null ? r : r with { Overdue = true }).ToList();
        return (rows, kept.Count > PageSize);
    }

    /// <summary>
    /// The ids after <paramref name="afterId"/> (ordinal order) that the health check counts as overdue, of the
    /// subscriptions this user may see and the other filters keep: the check's list over every subscription, reused
    /// for a few seconds (<see cref="OverdueListCache"/>), then narrowed here.
    /// </summary>
    private async Task<SortedSet<string>> OverdueIdsAsync(string? afterId, CancellationToken cancellationToken)
    {
        var (subscriptions, overdue) = await overdueList.GetAsync(cancellationToken);
        return new SortedSet<string>(subscriptions.Where(s => overdue.Contains(s.Id) && (afterId is null || string.CompareOrdinal(s.Id, afterId) > 0)
                                                             && Actor.Scope.Allows(s.Carrier) && Matches(s)).Select(s => s.Id), StringComparer.Ordinal);
    }

    /// <summary>Up to a page and one of failing subscriptions this user may see that the filters and <paramref name="also"/> keep, read in id batches.</summary>
    private async Task<List<StoredSubscription>> FailingAsync(string? afterId, Func<Subscription, bool> also, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var carriers = SubscriptionStore.CarriersToRead(Actor.Scope, Carrier is { Length: > 0 } ? Carrier : null);
        var kept = new List<StoredSubscription>();
        var cursor = afterId;
        for (var batch = PageSize + 1; kept.Count <= PageSize; batch = Math.Min(batch * 2, 2000))
        {
            var ids = await overview.FailingIdsAsync(now.AddDays(-7), carriers, cursor, batch, cancellationToken);
            var found = await store.ByIdsAsync(ids, cancellationToken);
            kept.AddRange(found.Where(s => Actor.Scope.Allows(s.Subscription.Carrier) && Matches(s.Subscription) && also(s.Subscription)));
            if (ids.Count < batch)
            {
                break;
            }

            cursor = ids[^1];
        }

        return kept;
    }

    private Row RowOf(StoredSubscription s, IReadOnlyDictionary<string, RunRecord> runs, DateTimeOffset now)
    {
        var last = runs.GetValueOrDefault(s.Subscription.Id);
        return new Row(s, Next(s.Subscription, now), last, IsOverdue(s.Subscription, last, now));
    }

    /// <summary>This list's URL with its filters and <paramref name="extra"/> (a null value drops a parameter).</summary>
    public string ListUrl(params (string Name, string? Value)[] extra)
    {
        var query = new List<(string, string?)> { ("q", Search), ("carrier", Carrier), ("enabled", Enabled), ("source", Source),
            ("failing", Failing ? "true" : null), ("overdue", Overdue ? "true" : null) };
        query.AddRange(extra);
        return ConsoleUrls.With(ConsoleUrls.Subscriptions, [.. query]);
    }

    private bool Matches(Subscription s) =>
        (Carrier is not { Length: > 0 } || s.Carrier == Carrier)
        && (Enabled is not ("true" or "false") || s.Enabled == (Enabled == "true"))
        && (Source is not { Length: > 0 } || SubscriptionResource.SourceOf(s.Origin) == Source)
        && (Search is not { Length: > 0 } || Contains(s.Id) || Contains(s.Name) || Contains(s.Carrier) || Contains(s.Cadence) || Contains(s.Origin));

    private bool Contains(string? text) => text is not null && text.Contains(Search!.Trim(), StringComparison.OrdinalIgnoreCase);

    private static FirePreview? Next(Subscription s, DateTimeOffset now) => s.NextFireAfter(now) is { } fire ? FirePreview.Of(s, fire) : null;

    /// <summary>
    /// As the health check counts it: enabled, its latest fire (plus settle delay and the threshold) has passed, and no
    /// run reported that period. Fires before it was running do not count (as the health check skips fires before the
    /// first run): a subscription that never ran, or whose latest run started after that fire, is not overdue.
    /// </summary>
    private bool IsOverdue(Subscription s, RunRecord? last, DateTimeOffset now) =>
        s.Enabled && last is not null
        && s.LatestFireAtOrBefore(now - s.SettleDelay - health.Value.OverdueAfter) is { } fire
        && last.StartedAt < fire
        && last.PeriodTo < s.PeriodFor(fire).UtcTo;

    private string? DecodeAfter(string cursor)
    {
        try
        {
            return KeysetCursor.Decode(cursor, "after");
        }
        catch (InputException ex)
        {
            AddFieldError(ex);
            return null;
        }
    }
}
