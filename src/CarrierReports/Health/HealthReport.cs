namespace CarrierReports.Health;

/// <summary>The outcome of <see cref="HealthCheck.CheckAsync"/>.</summary>
public sealed record HealthReport(DateTimeOffset CheckedAt, IReadOnlyList<HealthItem> Items, IReadOnlyList<ClusterMember> Members,
    OverdueSubscription? OldestOverdue, Runs.RunRecord? LastFailed)
{
    public bool Healthy => Items.All(i => !i.Problem);

    /// <summary>The report as text: a verdict line, then one line per check.</summary>
    public string ToText()
    {
        var problems = Items.Count(i => i.Problem);
        var lines = new List<string> { Healthy ? "health: OK" : $"health: UNHEALTHY ({problems} problem{(problems == 1 ? "" : "s")})" };
        lines.AddRange(Items.Select(i => $"  {(i.Problem ? "!!" : "ok")} {i.Check,-10} {i.Detail}"));
        return string.Join(Environment.NewLine, lines);
    }
}
