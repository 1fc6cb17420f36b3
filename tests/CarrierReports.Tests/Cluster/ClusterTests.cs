using System.Security.Cryptography;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using MimeKit;

namespace CarrierReports.Tests.Cluster;

/// <summary>
/// Several real <c>serve</c> processes on one PostgreSQL: each fire runs once, a killed node's run is finished by
/// another, and faults (SMTP down, archive not writable, slow CDR query) fail loudly and heal.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(20);
    private string _cdr = "";

    public async Task InitializeAsync() => _cdr = await ClusterCdrData.CreateAsync(pg.Cluster, "cluster_cdr");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ThreeNodes_EachFireRunsOnceOnOneNode_OneMailPerRecipientAndPeriod()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "three");
        var nodes = new[] { h.StartNode("node-a"), h.StartNode("node-b"), h.StartNode("node-c") };
        foreach (var n in nodes)
        {
            await h.WaitForCheckInAsync(n);
        }

        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Count(r => r.Status == "succeeded") >= 4, TimeSpan.FromSeconds(40), "four successful runs");
        foreach (var n in nodes)
        {
            await n.StopAsync(Stop);
        }

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        Assert.All(runs, r => Assert.True(r.Status == "succeeded", $"{r.RunId} on {r.Node}: {r.Status} {r.Error}\n{h.Logs()}"));
        Assert.All(runs, r => Assert.Contains(r.Node, nodes.Select(n => n.Name)));
        // Each fire once: one run per period, the period being the 5 seconds before its own fire time.
        Assert.True(runs.Count == runs.Select(r => r.PeriodFrom).Distinct().Count(),
            string.Join("\n", runs.Select(r => $"{r.RunId} {r.PeriodFrom:HH:mm:ss.fff} sched {r.ScheduledAt:HH:mm:ss.fff} {r.Node} {r.Trigger}#{r.Attempt} {r.Status} {r.Note}")) + "\n" + h.Logs());
        Assert.All(runs, r => Assert.Equal((r.ScheduledAt, TimeSpan.FromSeconds(5)), (r.PeriodTo, r.PeriodTo - r.PeriodFrom)));
        await AssertDeliveredOnceAsync(h, runs.Select(r => r.PeriodFrom), allowDuplicatesOf: []);
        await AssertArchiveMatchesLedgerAsync(h);
        // The first node stored the trigger; the others found it unchanged and left it alone (a replacement racing an
        // acquired fire could fire that time twice).
        Assert.Single(h.Logs().Split('\n'), l => l.Contains("Scheduled acme-5s: cron", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeKilledAfterRendering_AnotherNodeRecoversTheRunAndDeliversOnce()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "kill_render");
        var (victim, paused) = await StartPausedNodeAsync(h, "AfterRender");
        var survivor = h.StartNode("survivor");
        await h.WaitForCheckInAsync(survivor);
        victim.Kill();
        var killedAt = System.Diagnostics.Stopwatch.StartNew();

        await h.WaitUntilAsync(async () => Delivered(await h.DeliveriesAsync(), paused.PeriodFrom) == 2, TimeSpan.FromSeconds(40), "the killed node's period to be delivered");
        output.WriteLine($"SIGKILL to delivered by the survivor: {killedAt.Elapsed.TotalSeconds:0.0} s");
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).All(r => r.Status != "running" || r.Node != victim.Name), TimeSpan.FromSeconds(20), "the killed run to be resolved as stale");
        await survivor.StopAsync(Stop);

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        var killed = Assert.Single(runs, r => r.Node == victim.Name);
        Assert.Equal("failed", killed.Status);
        Assert.Contains("stale", killed.Error, StringComparison.Ordinal);
        var samePeriod = runs.Where(r => r.PeriodFrom == paused.PeriodFrom && r.Node == survivor.Name).ToList();
        // The recovered run reports the killed run's period: Quartz handed over the original fire time.
        Assert.Contains(samePeriod, r => r.Status == "succeeded" && r.Trigger == "retry" && r.ScheduledAt == killed.ScheduledAt && r.Note!.StartsWith("sent to 2 of 2", StringComparison.Ordinal));
        Assert.DoesNotContain(runs, r => r.Status == "running");
        await AssertDeliveredOnceAsync(h, runs.Where(r => r.Status == "succeeded").Select(r => r.PeriodFrom), allowDuplicatesOf: []);
        await AssertArchiveMatchesLedgerAsync(h);
    }

    [Fact]
    public async Task NodeKilledAfterSendingBeforeRecording_PeriodResentWithTheSameMessageIds()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "kill_send");
        var (victim, paused) = await StartPausedNodeAsync(h, "AfterSend");
        var sentByVictim = MailsFor(h, paused);
        Assert.Equal(2, sentByVictim.Count); // the SMTP server has them; the ledger does not
        Assert.Equal(0, Delivered(await h.DeliveriesAsync(), paused.PeriodFrom));

        var survivor = h.StartNode("survivor");
        await h.WaitForCheckInAsync(survivor);
        victim.Kill();
        var killedAt = System.Diagnostics.Stopwatch.StartNew();
        await h.WaitUntilAsync(async () => Delivered(await h.DeliveriesAsync(), paused.PeriodFrom) == 2, TimeSpan.FromSeconds(40), "the killed node's period to be recorded as delivered");
        output.WriteLine($"SIGKILL to resent and recorded by the survivor: {killedAt.Elapsed.TotalSeconds:0.0} s");
        await survivor.StopAsync(Stop);

        // The documented window: the period was sent twice, and the second copy is the same message (same Message-ID).
        var all = MailsFor(h, paused);
        Assert.Equal(4, all.Count);
        foreach (var group in all.GroupBy(m => m.MessageId))
        {
            Assert.Equal(2, group.Count());
            Assert.Single(group.Select(m => m.Subject).Distinct());
        }

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        Assert.DoesNotContain(runs, r => r.Status == "running");
        Assert.Equal("failed", Assert.Single(runs, r => r.Node == victim.Name).Status);
        await AssertDeliveredOnceAsync(h, runs.Where(r => r.Status == "succeeded").Select(r => r.PeriodFrom), allowDuplicatesOf: [paused.PeriodFrom]);
    }

    [Fact]
    public async Task SmtpDownForAWhile_RunsFailThenDeliverWhenItIsBack_AttemptsRecorded()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "smtp_down");
        h.Settings["Scheduling:MaxRunAttempts"] = "5";
        var nodes = new[] { h.StartNode("node-a"), h.StartNode("node-b") };
        await h.WaitUntilAsync(async () => (await h.DeliveriesAsync()).Count(d => d.Outcome == "delivered") >= 2, TimeSpan.FromSeconds(40), "a first delivery");

        await h.StopSmtpAsync();
        var down = DateTime.UtcNow;
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Any(r => r.Status == "failed" && r.ScheduledAt > down), TimeSpan.FromSeconds(20), "a run to fail while SMTP is down");
        await Task.Delay(TimeSpan.FromSeconds(3));
        h.StartSmtp();
        var up = DateTime.UtcNow;

        // Every fire time up to the moment SMTP came back ends up delivered to both recipients.
        await h.WaitUntilAsync(async () =>
        {
            var runs = await h.RunsAsync();
            var deliveries = await h.DeliveriesAsync();
            return runs.Where(r => r.ScheduledAt <= up).Select(r => r.PeriodFrom).Distinct().All(p => Delivered(deliveries, p) == 2);
        }, TimeSpan.FromSeconds(40), "every period up to SMTP's return to be delivered");
        foreach (var n in nodes)
        {
            await n.StopAsync(Stop);
        }

        await DescribeAsync(h);
        var all = await h.RunsAsync();
        var failed = all.Where(r => r.Status == "failed").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.Contains("2 of 2 recipients failed", r.Error, StringComparison.Ordinal));
        var outage = failed.Select(r => r.PeriodFrom).Distinct().ToList();
        var deliveries = await h.DeliveriesAsync();
        foreach (var period in outage)
        {
            // Each recipient's row counts every SMTP attempt across the failed runs and the one that got through.
            Assert.All(deliveries.Where(d => d.PeriodFrom == period), d => Assert.True(d.Outcome == "delivered" && d.Attempts > 1, $"{d.Recipient} {period:O}: {d.Outcome} after {d.Attempts}"));
        }

        Assert.DoesNotContain(all, r => r.Status == "running");
        await AssertDeliveredOnceAsync(h, all.Where(r => r.Status == "succeeded").Select(r => r.PeriodFrom), allowDuplicatesOf: []);
    }

    [Fact]
    public async Task ArchiveNotWritable_RunFailsNamingThePath_AndSucceedsOnRetryOnceWritable()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "archive");
        // A regular file where a folder of the archive root should be: even root cannot create folders below it.
        var blocker = Path.Combine(h.Dir.Path, "blocked");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var root = Path.Combine(blocker, "archive");
        h.Settings["Archive:Root"] = root;
        h.Settings["Scheduling:MaxRunAttempts"] = "6";
        var node = h.StartNode("node-a");

        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Any(r => r.Status == "failed"), TimeSpan.FromSeconds(40), "a run to fail on the archive");
        var first = (await h.RunsAsync()).First(r => r.Status == "failed");
        Assert.Contains($"'{root}'", first.Error, StringComparison.Ordinal);
        Assert.Contains("Archive:Root", first.Error, StringComparison.Ordinal);
        Assert.Empty(h.Mails); // nothing is sent without its archived copy

        File.Delete(blocker);
        await h.WaitUntilAsync(async () => Delivered(await h.DeliveriesAsync(), first.PeriodFrom) == 2, TimeSpan.FromSeconds(30), "the failed period to be delivered on a retry");
        await node.StopAsync(Stop);

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        Assert.Contains(runs, r => r.PeriodFrom == first.PeriodFrom && r.Status == "succeeded" && r.Trigger == "retry" && r.Attempt > 1);
        Assert.DoesNotContain(runs, r => r.Status == "running");
        await AssertDeliveredOnceAsync(h, runs.Where(r => r.Status == "succeeded").Select(r => r.PeriodFrom), allowDuplicatesOf: []);
        await AssertArchiveMatchesLedgerAsync(h, root);
    }

    [Fact]
    public async Task CdrQueryOverItsTimeout_RunFailsWithThatReason_NodeKeepsServingOtherSubscriptions()
    {
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "cdr_timeout");
        h.Settings["CdrSource:Table"] = "cdr_slow";
        h.Settings["CdrSource:CommandTimeoutSeconds"] = "1";
        h.AddSubscription(1, "slow-5s", "2");
        var node = h.StartNode("node-a");

        await h.WaitUntilAsync(async () =>
        {
            var runs = await h.RunsAsync();
            var firstTimeout = runs.FirstOrDefault(r => r.SubscriptionId == "slow-5s" && r.Status == "failed");
            return firstTimeout is not null && runs.Count(r => r.SubscriptionId == "acme-5s" && r.Status == "succeeded" && r.ScheduledAt > firstTimeout.ScheduledAt) >= 2;
        }, TimeSpan.FromSeconds(45), "a timed-out slow run and two later good runs of the other subscription");
        Assert.False(node.HasExited, node.Output);
        await node.StopAsync(Stop);

        await DescribeAsync(h);
        var all = await h.RunsAsync();
        var slow = all.Where(r => r.SubscriptionId == "slow-5s").ToList();
        Assert.All(slow, r => Assert.Equal("failed", r.Status));
        Assert.All(slow, r => Assert.Contains("The CDR query exceeded CdrSource:CommandTimeoutSeconds (1 s)", r.Error, StringComparison.Ordinal));
        Assert.All(all.Where(r => r.SubscriptionId == "acme-5s"), r => Assert.Equal("succeeded", r.Status));
        Assert.DoesNotContain(ParsedMails(h), m => m.Subject.Contains("Slowpoke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgresRestartedUnderRunningNodes_TheyCarryOnWithoutRestart_NoRunLostOrStuck()
    {
        // Its own PostgreSQL: restarting the shared one would break the other test classes' pooled connections.
        await using var cluster = await PostgresCluster.StartAsync();
        var cdr = await ClusterCdrData.CreateAsync(cluster, "restart_cdr");
        await using var h = await ClusterHarness.CreateAsync(cluster, cdr, "pg_restart");
        var nodes = new[] { h.StartNode("node-a"), h.StartNode("node-b") };
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Count(r => r.Status == "succeeded") >= 2, TimeSpan.FromSeconds(40), "two runs before the restart");

        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StartServerAsync();
        var back = DateTime.UtcNow;

        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Count(r => r.Status == "succeeded" && r.ScheduledAt > back.AddSeconds(5)) >= 2, TimeSpan.FromSeconds(45), "two runs after the restart");
        Assert.All(nodes, n => Assert.False(n.HasExited, n.Output));
        foreach (var n in nodes)
        {
            await n.StopAsync(Stop);
        }

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        Assert.DoesNotContain(runs, r => r.Status == "running");
        // No fire lost: the delivered periods are every 5-second slot from the first to the last, without a gap.
        var deliveries = await h.DeliveriesAsync();
        var periods = deliveries.Where(d => d.Outcome == "delivered").Select(d => d.PeriodFrom).Distinct().Order().ToList();
        var expected = Enumerable.Range(0, (int)((periods[^1] - periods[0]).TotalSeconds / 5) + 1).Select(i => periods[0].AddSeconds(5 * i)).ToList();
        Assert.True(expected.SequenceEqual(periods), $"delivered periods {string.Join(", ", periods.Select(p => p.ToString("HH:mm:ss")))}\n{h.Logs()}");
        Assert.All(periods, p => Assert.Equal(2, Delivered(deliveries, p)));
        await AssertDeliveredOnceAsync(h, periods, allowDuplicatesOf: []);
    }

    /// <summary>What happened, for the test log: runs per node and status, mails received.</summary>
    /// <summary>
    /// The issue's "done when": two nodes run the same subscription while one of them is SIGKILLed at random moments,
    /// again and again, and restarted each time (the next kill waits until it is back). Every period is still delivered and archived, and a period reaches a recipient
    /// twice only as the documented crash window's identical copy (same Message-ID, same subject).
    /// </summary>
    [Fact]
    public async Task TwoNodes_OneKilledAtRandomMomentsManyTimes_EveryPeriodDeliveredAndArchivedOnce()
    {
        const int kills = 6;
        var seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        await using var h = await ClusterHarness.CreateAsync(pg.Cluster, _cdr, "chaos");
        var nodes = new[] { h.StartNode("node-a"), h.StartNode("node-b") };
        foreach (var n in nodes)
        {
            await h.WaitForCheckInAsync(n);
        }

        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Any(r => r.Status == "succeeded"), TimeSpan.FromSeconds(30), "a first successful run");
        for (var k = 0; k < kills; k++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1_000, 6_000)));
            var i = random.Next(nodes.Length);
            nodes[i].Kill();
            output.WriteLine($"kill {k + 1}: {nodes[i].Name} at {DateTime.UtcNow:HH:mm:ss.fff}");
            nodes[i] = h.StartNode(nodes[i].Name);

            // The next kill comes only once the restarted node is back in the cluster, so one node is always serving.
            await h.WaitForCheckInAsync(nodes[i]);
        }

        // The cluster must resume: a period that began after the last kill succeeds. Waiting for that (not a fixed 5 s)
        // keeps the test about lost and duplicated fires: on a starved machine a restarted node needs several seconds
        // to start, and the kill window alone may hold no fire at all (seen at load 17 on two cores).
        var lastKill = DateTime.UtcNow;
        await h.WaitUntilAsync(async () => (await h.RunsAsync()).Any(r => r.Status == "succeeded" && r.PeriodFrom > lastKill),
            TimeSpan.FromSeconds(90), "a period after the last kill to succeed");
        // A run killed in flight is first marked stale, then retried: wait for every period to have succeeded.
        await h.WaitUntilAsync(async () =>
        {
            var all = await h.RunsAsync();
            return all.All(r => r.Status != "running") &&
                   all.GroupBy(r => r.PeriodFrom).All(g => g.Any(r => r.Status == "succeeded"));
        }, TimeSpan.FromSeconds(60), "every period to succeed and no run left running");
        foreach (var n in nodes)
        {
            await n.StopAsync(Stop);
        }

        await DescribeAsync(h);
        var runs = await h.RunsAsync();
        var periods = runs.Select(r => r.PeriodFrom).Distinct().Order().ToList();
        Assert.True(periods.Count >= 4, $"only {periods.Count} periods ran");
        // No gap: one node was always up, so every 5-second fire between the first and the last ran.
        Assert.Equal(periods.Count, (int)((periods[^1] - periods[0]).TotalSeconds / 5) + 1);
        Assert.DoesNotContain(runs, r => r.Status == "running");
        Assert.All(periods, p => Assert.Contains(runs, r => r.PeriodFrom == p && r.Status == "succeeded"));

        // Delivered to both recipients; the SMTP server and the ledger agree; duplicates only as identical copies.
        await AssertDeliveredOnceAsync(h, periods, allowDuplicatesOf: periods);
        var mails = ParsedMails(h);
        var duplicated = mails.GroupBy(m => m.MessageId).Where(g => g.Count() > 1).ToList();
        output.WriteLine($"{mails.Count} mails, {duplicated.Count} Message-IDs received twice");
        Assert.All(duplicated, g => Assert.Single(g.Select(m => m.Subject).Distinct()));
        Assert.True(duplicated.Count <= kills * 2, $"{duplicated.Count} duplicated Message-IDs for {kills} kills");
        Assert.All(duplicated, g => Assert.Equal(2, g.Count()));
        await AssertArchiveMatchesLedgerAsync(h);
    }

    private async Task DescribeAsync(ClusterHarness h)
    {
        var runs = await h.RunsAsync();
        output.WriteLine($"{runs.Count} runs, {runs.Select(r => r.PeriodFrom).Distinct().Count()} periods, {h.Mails.Count} mails received");
        foreach (var g in runs.GroupBy(r => (r.Node, r.Status, r.Trigger)).OrderBy(g => g.Key.Node, StringComparer.Ordinal))
        {
            output.WriteLine($"  {g.Key.Node}: {g.Count()} {g.Key.Status} ({g.Key.Trigger})");
        }

        foreach (var r in runs.Where(r => r.Status != "succeeded" || r.Trigger != "schedule"))
        {
            output.WriteLine($"  {r.ScheduledAt:HH:mm:ss} {r.SubscriptionId} {r.Node} {r.Trigger}#{r.Attempt} {r.Status}: {r.Error ?? r.Note}");
        }
    }

    /// <summary>Starts a node that pauses its first run at <paramref name="point"/> and waits until it does.</summary>
    private static async Task<(NodeProcess Node, LedgerRun Run)> StartPausedNodeAsync(ClusterHarness h, string point)
    {
        var marker = Path.Combine(h.Dir.Path, "paused-" + point);
        var victim = h.StartNode("victim", new Dictionary<string, string?> { ["TestFaults:PauseAt"] = point, ["TestFaults:PauseFile"] = marker });
        await h.WaitUntilAsync(() => Task.FromResult(File.Exists(marker)), TimeSpan.FromSeconds(40), $"the victim to pause at {point}");
        var runId = (await File.ReadAllTextAsync(marker)).Split(' ')[0];
        var run = Assert.Single(await h.RunsAsync(), r => r.RunId == runId);
        Assert.Equal("running", run.Status);
        return (victim, run);
    }

    private static int Delivered(IReadOnlyList<LedgerDelivery> deliveries, DateTime periodFrom) =>
        deliveries.Count(d => d.PeriodFrom == periodFrom && d.Outcome == "delivered");

    private sealed record Mail(string MessageId, string Subject, DateTimeOffset Date, IReadOnlyList<string> To, byte[] Raw);

    private static List<Mail> ParsedMails(ClusterHarness h) =>
    [
        .. h.Mails.Select(m =>
        {
            var message = MimeMessage.Load(new MemoryStream(m.Raw));
            return new Mail(message.MessageId ?? "", message.Subject ?? "", message.Date, m.To, m.Raw);
        }),
    ];

    /// <summary>The mails of one period: a report mail is dated with its fire time, which is where its period ends.</summary>
    private static List<Mail> MailsFor(ClusterHarness h, LedgerRun run) =>
        [.. ParsedMails(h).Where(m => m.Date == new DateTimeOffset(DateTime.SpecifyKind(run.PeriodTo, DateTimeKind.Utc)))];

    /// <summary>
    /// Every period delivered to both recipients in the ledger, and the SMTP server got exactly one message per
    /// (period, recipient) — carrying the Message-ID the ledger recorded — except the periods allowed a duplicate.
    /// </summary>
    private static async Task AssertDeliveredOnceAsync(ClusterHarness h, IEnumerable<DateTime> periods, IReadOnlyList<DateTime> allowDuplicatesOf)
    {
        var deliveries = (await h.DeliveriesAsync()).Where(d => d.Outcome == "delivered").ToList();
        foreach (var p in periods.Distinct())
        {
            Assert.True(Delivered(deliveries, p) == 2, $"period {p:O}: {Delivered(deliveries, p)} delivered rows\n{h.Logs()}");
        }

        var mails = ParsedMails(h);
        var byId = mails.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.Count());
        var allowed = deliveries.Where(d => allowDuplicatesOf.Contains(d.PeriodFrom)).Select(d => d.MessageId.Trim('<', '>')).ToHashSet();
        foreach (var d in deliveries)
        {
            var id = d.MessageId.Trim('<', '>');
            Assert.True(byId.TryGetValue(id, out var n), $"ledger says {id} was delivered to {d.Recipient}, the SMTP server never got it");
            Assert.True(n == 1 || allowed.Contains(id), $"{id} ({d.Recipient}, period {d.PeriodFrom:O}) arrived {n} times");
        }

        // And nothing arrived that the ledger does not know of.
        Assert.All(byId.Keys, id => Assert.Contains(id, deliveries.Select(d => d.MessageId.Trim('<', '>'))));
    }

    /// <summary>Every file the ledger says was archived is there, with the recorded SHA-256.</summary>
    private static async Task AssertArchiveMatchesLedgerAsync(ClusterHarness h, string? root = null)
    {
        var artifacts = await h.ArtifactsAsync();
        Assert.NotEmpty(artifacts);
        foreach (var (runId, path, sha) in artifacts)
        {
            var file = Path.Combine(root ?? h.ArchiveRoot, path);
            Assert.True(File.Exists(file), $"{runId}: {file} is missing");
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
        }
    }
}
