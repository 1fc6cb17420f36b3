namespace CarrierReports.Health;

/// <summary>
/// One <see cref="HealthCheck.CheckAsync"/> shared by the readiness checks of a request and by requests close together,
/// so an unauthenticated client polling <c>/health/ready</c> cannot multiply the database queries.
/// </summary>
public sealed class HealthReportCache(HealthCheck check, TimeProvider time)
{
    /// <summary>A report younger than this is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>A check that has not answered by then fails (the readiness probe reports unhealthy rather than hanging).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Lock _sync = new();
    private (Task<HealthReport> Task, DateTimeOffset At)? _current;

    public Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_current is not { } c || (c.Task.IsCompleted && time.GetUtcNow() - c.At >= MaxAge))
            {
                c = (CheckAsync(), time.GetUtcNow());
                _current = c;
            }

            return c.Task.WaitAsync(cancellationToken);
        }
    }

    // Not the caller's token: one probe giving up must not cancel the check the others wait for.
    private async Task<HealthReport> CheckAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        return await check.CheckAsync(timeout.Token);
    }
}
