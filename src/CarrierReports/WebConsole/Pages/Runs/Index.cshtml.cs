using System.Globalization;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Runs;

/// <summary>
/// <c>/runs</c>: the run ledger, newest first, filtered by query string (so the Overview can link to e.g. the failed runs
/// since today) and paged by keyset like the API. Runs of carriers outside the scope are not listed.
/// </summary>
public sealed class RunsIndexModel(RunSearch search, SubscriptionCarriers carriers) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Subscription { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Node { get; set; }
    [BindProperty(SupportsGet = true)] public string? Since { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public IReadOnlyList<RunRecord> Runs { get; private set; } = [];
    public IReadOnlyDictionary<string, string> CarrierOf { get; private set; } = new Dictionary<string, string>();
    public string? NextUrl { get; private set; }
    public bool Filtered => new[] { Subscription, Carrier, Status, Node, Since, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        RunFilter filter;
        try
        {
            filter = await FilterAsync(cancellationToken);
        }
        catch (InputException ex)
        {
            AddFieldError(ex);
            return;
        }

        var page = await search.SearchAsync(filter, cancellationToken);
        Runs = page.Runs;
        // The carriers of this page's subscriptions only: mapping every subscription took seconds at 10,000 of them.
        CarrierOf = await carriers.MapAsync([.. Runs.Select(r => r.SubscriptionId).Distinct(StringComparer.Ordinal)], cancellationToken);
        if (page.Next is { } next)
        {
            NextUrl = Query(KeysetCursor.Encode($"{next.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{next.RunId}"));
        }
    }

    /// <summary>This view's URL with another page cursor (null: the first page).</summary>
    public string Query(string? after) => ConsoleUrls.With(ConsoleUrls.Runs, ("subscription", Subscription), ("carrier", Carrier), ("status", Status),
        ("node", Node), ("since", Since), ("from", From), ("to", To), ("after", after));

    private async Task<RunFilter> FilterAsync(CancellationToken cancellationToken)
    {
        RunStatus? status = string.IsNullOrWhiteSpace(Status) ? null
            : RunNames.TryParseStatus(Status, out var s) ? s
            : throw new InputException(nameof(Status), $"'{Status}' is not a run status; choose one of {string.Join(", ", RunNames.Statuses)}");
        var from = Display.Day(From, nameof(From));
        var to = Display.Day(To, nameof(To));
        if (from is { } f && to is { } t && t <= f)
        {
            throw new InputException(nameof(To), $"{To} is not after {From}; the period ends after it starts");
        }

        return new RunFilter(Blank(Subscription), await carriers.VisibleIdsAsync(Actor.Scope, Blank(Carrier), cancellationToken), status, from,
            to?.AddDays(1), Blank(Node), After is null ? null : Cursor(After), PageSize, Display.Day(Since, nameof(Since)));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static RunCursor Cursor(string text)
    {
        var raw = KeysetCursor.Decode(text, "after");
        var bar = raw.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(raw[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new RunCursor(new DateTimeOffset(ticks, TimeSpan.Zero), raw[(bar + 1)..])
            : throw new InputException("After", "this page link is not valid any more; start again from the first page");
    }
}
