using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>
/// The fault-injection seam of <see cref="TestFaultOptions"/>; does nothing unless a test configured it and the process
/// has the test-only switch. The settings are read (and validated) when the runner is built, before any run starts.
/// </summary>
public sealed class RunFaults(IOptions<TestFaultOptions> options, TimeProvider time, ILogger<RunFaults> logger)
{
    private readonly TestFaultOptions _options = options.Value;
    private int _paused;

    /// <summary>Pauses the first run of this process that reaches <paramref name="point"/>, when a test asked for it.</summary>
    public async Task AtAsync(TestFaultPoint point, RunRecord run, CancellationToken cancellationToken)
    {
        var f = _options;
        if (!TestFaultOptions.EnabledInProcess || f.PauseAt != point || f.PauseFile is not { Length: > 0 } marker || Interlocked.Exchange(ref _paused, 1) == 1)
        {
            return;
        }

        Log.TestPause(logger, run.RunId, point, marker);
        await File.WriteAllTextAsync(marker, $"{run.RunId} {run.SubscriptionId} {run.PeriodFrom:O} {run.PeriodTo:O} {run.Node}\n", cancellationToken);
        var until = time.GetUtcNow() + f.PauseTimeout;
        while (File.Exists(marker) && time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }
}
