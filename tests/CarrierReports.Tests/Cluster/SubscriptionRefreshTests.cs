using System.Globalization;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cluster;

/// <summary>
/// Two real <c>serve</c> nodes follow subscriptions saved to the database while they run, within
/// <c>Scheduling:SubscriptionRefreshInterval</c> (plus one fire): a new one is scheduled, a new cadence replaces the old
/// trigger, a disabled one stops.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionRefreshTests(PostgresFixture pg) : IAsyncLifetime
{
    private const string Id = "live-db";
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private string _cdr = "";

    public async Task InitializeAsync() => _cdr = await ClusterCdrData.CreateAsync(pg.Cluster, "refresh_cdr");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoNodesServing_FollowSavedSubscription_New_CadenceChanged_Disabled()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "refresh");
        foreach (var key in h.Settings.Keys.Where(k => k.StartsWith("Subscriptions:", StringComparison.Ordinal)).ToList())
        {
            h.Settings.Remove(key);
        }

        h.Settings["Scheduling:SubscriptionRefreshInterval"] = Refresh.ToString("c", CultureInfo.InvariantCulture);
        var a = h.StartNode("node-a");
        var b = h.StartNode("node-b");
        await h.WaitForCheckInAsync(a);
        await h.WaitForCheckInAsync(b);

        // New: saved while both nodes run; fires every 5 seconds.
        await SaveAsync(h, "0/5 * * * * ?", enabled: true);
        await h.WaitUntilAsync(async () => (await h.RunsAsync(Id)).Count(r => r.Status == "succeeded") >= 2, TimeSpan.FromSeconds(30), "two runs of the new subscription");
        Assert.All(await h.RunsAsync(Id), r => Assert.Equal(0, r.ScheduledAt.Second % 5));

        // Cadence: every 5 seconds becomes seconds 2 and 7 of every 10; from the refresh on, only those fire times.
        var changed = await SaveAsync(h, "2/10 * * * * ?", enabled: true);
        // Two refresh intervals and slack: on a loaded machine the refresh job itself can start a few seconds late.
        var settled = changed + Refresh * 2 + TimeSpan.FromSeconds(4);
        await h.WaitUntilAsync(async () => (await h.RunsAsync(Id)).Count(r => r.ScheduledAt > settled && r.Status == "succeeded") >= 2,
            TimeSpan.FromSeconds(40), "two runs on the new cadence");
        var after = (await h.RunsAsync(Id)).Where(r => r.ScheduledAt > settled).ToList();
        Assert.All(after, r => Assert.True(r.ScheduledAt.Second % 10 == 2, $"fire time {r.ScheduledAt:HH:mm:ss.fff} is not on the new cadence\n{h.Logs()}"));
        Assert.Equal(after.Count, after.Select(r => r.ScheduledAt).Distinct().Count());

        // Disabled: no fire time after the refresh, on either node.
        var disabled = await SaveAsync(h, "2/10 * * * * ?", enabled: false);
        var quiet = disabled + Refresh * 2 + TimeSpan.FromSeconds(4);
        await Task.Delay(quiet - DateTime.UtcNow + TimeSpan.FromSeconds(12));
        Assert.DoesNotContain(await h.RunsAsync(Id), r => r.ScheduledAt > quiet);
        Assert.False(a.HasExited || b.HasExited, h.Logs());
    }

    /// <summary>Saves the subscription with <c>subscriptions save</c>, as support staff would; returns when it was saved.</summary>
    private static async Task<DateTime> SaveAsync(ClusterHarness h, string cadence, bool enabled)
    {
        var file = Path.Combine(h.Dir.Path, $"{Id}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Id": "{{Id}}", "Enabled": {{(enabled ? "true" : "false")}}, "Carrier": "1", "Range": "now-5s..now", "TimeZone": "UTC",
              "Bucket": "hour", "Cadence": "{{cadence}}", "SettleDelay": "00:00:00", "Formats": ["csv"],
              "Recipients": { "To": ["{{ClusterHarness.Recipient1}}"] }
            }
            """);
        var result = await CliRunner.RunAsync(h.Settings, "subscriptions", "save", "--file", file);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        return DateTime.UtcNow;
    }
}
