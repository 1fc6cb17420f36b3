using CarrierReports.Health;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.WebConsole.Overview;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages;

/// <summary>
/// The overview: what ran today, what fails, what fires next, and the cluster. Every figure links to the list behind
/// it. The cluster's health is the slowest part (it checks every subscription), so it loads after the page
/// (<c>?handler=health</c> through htmx), or inline with <c>?health=show</c> without JavaScript.
/// </summary>
public sealed class IndexModel(OverviewQueries queries, SubscriptionCarriers carriers, HealthReportCache health, TimeProvider time)
    : ConsolePageModel
{
    public const int ListLength = 8;

    /// <summary>The statuses in the order the cards show them.</summary>
    public static readonly IReadOnlyList<RunStatus> Statuses = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Running, RunStatus.SkippedEmpty];

    [BindProperty(Name = "health", SupportsGet = true)]
    public string? ShowHealth { get; set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>Midnight UTC today: "today" on this page is the UTC day, the same for everyone.</summary>
    public DateTimeOffset Today { get; private set; }

    public IReadOnlyDictionary<string, long> RunsToday { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyList<RunRecord> Failing { get; private set; } = [];
    public IReadOnlyList<NextFire> NextFires { get; private set; } = [];
    public int Enabled { get; private set; }
    public HealthReport? Health { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Today = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero);
        var ids = await carriers.VisibleIdsAsync(Actor.Scope, null, cancellationToken);
        RunsToday = await queries.RunsSinceAsync(Today, ids, cancellationToken);
        Failing = await queries.FailingSinceAsync(Now.AddDays(-7), ids, ListLength, cancellationToken);
        var schedule = await queries.ScheduleAsync(Actor.Scope, ListLength, cancellationToken);
        Enabled = schedule.Enabled;
        NextFires = schedule.NextFires;
        if (ShowHealth == "show")
        {
            Health = await health.GetRecentAsync(cancellationToken);
        }
    }

    /// <summary>The health panel alone, for htmx.</summary>
    public async Task<IActionResult> OnGetHealthAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Health = await health.GetRecentAsync(cancellationToken);
        return Partial("_OverviewHealth", this);
    }

    public long RunCount(RunStatus status) => RunsToday.GetValueOrDefault(status.Name());

    public string RunsUrl(RunStatus status) =>
        ConsoleUrls.With(ConsoleUrls.Runs, ("status", status.Name()), ("since", Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
}
