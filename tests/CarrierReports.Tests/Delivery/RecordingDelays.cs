namespace CarrierReports.Tests.Delivery;

/// <summary>
/// A clock whose timers fire at once: retry waits cost no test time, yet each requested wait is recorded and
/// <see cref="OnDelay"/> can change the world (start a server, cancel) before the wait ends.
/// </summary>
internal sealed class RecordingDelays : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Delays => _delays;

    /// <summary>Called with the 1-based number of the wait, before it fires.</summary>
    public Action<int>? OnDelay { get; set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _delays.Add(dueTime);
            OnDelay?.Invoke(_delays.Count);
            dueTime = TimeSpan.Zero;
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
