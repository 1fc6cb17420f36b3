namespace CarrierReports.Runs;

/// <summary>Where a run stands. Stored (and printed) as <see cref="RunNames.Name(RunStatus)"/>: running, succeeded, failed, skipped-empty.</summary>
public enum RunStatus
{
    Running,
    Succeeded,
    Failed,
    SkippedEmpty,
}

/// <summary>How a run was started. Stored as <see cref="RunNames.Name(RunTrigger)"/>: schedule, catch-up, retry, manual, backfill.</summary>
public enum RunTrigger
{
    Schedule,
    CatchUp,
    Retry,
    Manual,
    Backfill,
}

/// <summary>The names the ledger stores and the command line prints and accepts.</summary>
public static class RunNames
{
    public static readonly IReadOnlyList<string> Statuses = [.. Enum.GetValues<RunStatus>().Select(Name)];

    public static string Name(this RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.SkippedEmpty => "skipped-empty",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Name(this RunTrigger trigger) => trigger switch
    {
        RunTrigger.Schedule => "schedule",
        RunTrigger.CatchUp => "catch-up",
        RunTrigger.Retry => "retry",
        RunTrigger.Manual => "manual",
        RunTrigger.Backfill => "backfill",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    public static bool TryParseStatus(string? text, out RunStatus status) => TryParse(text, Name, out status);

    public static bool TryParseTrigger(string? text, out RunTrigger trigger) => TryParse(text, Name, out trigger);

    public static RunStatus ParseStatus(string text) =>
        TryParseStatus(text, out var s) ? s : throw new InvalidOperationException($"cr_runs: '{text}' is not a run status");

    public static RunTrigger ParseTrigger(string text) =>
        TryParseTrigger(text, out var t) ? t : throw new InvalidOperationException($"cr_runs: '{text}' is not a run trigger");

    private static bool TryParse<T>(string? text, Func<T, string> name, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (name(v) == text)
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}
