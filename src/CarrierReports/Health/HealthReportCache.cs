namespace CarrierReports.Health;

/// <summary>
/// One <see cref="HealthCheck.CheckAsync"/> shared by the readiness checks of a request and by requests close together,
/// so an unauthenticated client polling <c>/health/ready</c> cannot multiply the database queries.
/// </summary>
public sealed class HealthReportCache(HealthCheck check, TimeProvider time)
{
    /// <summary>A report younger than this is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>How old a report the console's health panel may show while a newer one is being made (<see cref="GetRecentAsync"/>).</summary>
    public static readonly TimeSpan RecentAge = TimeSpan.FromSeconds(30);

    /// <summary>How old the console's report gets before <see cref="GetRecentAsync"/> starts a new check in the background.</summary>
    public static readonly TimeSpan RecentRefresh = TimeSpan.FromSeconds(10);

    /// <summary>A check that has not answered by then fails (the readiness probe reports unhealthy rather than hanging).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _sync = new();
    private (Task<HealthReport> Task, DateTimeOffset At)? _current;
    private (HealthReport Report, DateTimeOffset At)? _completed;

    public Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return StartIfStale().Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// For the console's overview: the last report at once when it is at most <see cref="RecentAge"/> old (starting a
    /// new check in the background when it is older than <see cref="RecentRefresh"/>), else waits for a new one. A check over
    /// 10,000 subscriptions takes longer than a page may; the panel shows when its report was made.
    /// </summary>
    public Task<HealthReport> GetRecentAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_completed is { } done && time.GetUtcNow() - done.At <= RecentAge)
            {
                // A page polled by many people must not keep a check running all the time: refresh every few seconds at most.
                if (time.GetUtcNow() - done.At >= RecentRefresh)
                {
                    StartIfStale();
                }

                return Task.FromResult(done.Report);
            }

            return StartIfStale().Task.WaitAsync(cancellationToken);
        }
    }

    private (Task<HealthReport> Task, DateTimeOffset At) StartIfStale()
    {
        if (_current is not { } c || (c.Task.IsCompleted && time.GetUtcNow() - c.At >= MaxAge))
        {
            var at = time.GetUtcNow();
            c = (CheckAsync(at), at);
            _current = c;
        }

        return c;
    }

    // Not the caller's token: one probe giving up must not cancel the check the others wait for.
    private async Task<HealthReport> CheckAsync(DateTimeOffset at)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        var report = await check.CheckAsync(timeout.Token);
        lock (_sync)
        {
            _completed = (report, at);
        }

        return report;
    }
}
