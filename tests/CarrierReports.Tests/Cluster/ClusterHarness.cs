using System.Collections.Concurrent;
using System.Globalization;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Tests.Cluster;

/// <summary>One row of <c>cr_runs</c> as the cluster tests read it.</summary>
internal sealed record LedgerRun(string RunId, string SubscriptionId, DateTime PeriodFrom, DateTime PeriodTo, DateTime ScheduledAt, string Node,
    string Trigger, int Attempt, string Status, string? Error, string? Note);

/// <summary>One row of <c>cr_deliveries</c>.</summary>
internal sealed record LedgerDelivery(string SubscriptionId, DateTime PeriodFrom, string Recipient, string MessageId, string Outcome, int Attempts, string RunId);

/// <summary>
/// N real <c>serve</c> processes sharing one service database in the test PostgreSQL, a real SMTP server on loopback
/// (which can be stopped and started again on the same port), an archive folder and CDRs. Settings use short cluster
/// intervals and a subscription that fires every 5 seconds for the 5 seconds before each fire, so every fire has a
/// period of its own. Disposing kills every process it started, also when the test failed.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public const string Recipient1 = "noc@acme.example";
    public const string Recipient2 = "audit@carrier.example";

    private readonly List<NodeProcess> _nodes = [];
    private readonly ConcurrentQueue<SmtpTestServer.ReceivedMail> _received = new();
    private readonly List<SmtpTestServer> _smtpServers = [];
    private SmtpTestServer? _smtp;

    private ClusterHarness(string service, string cdr, TempFolder dir, int smtpPort)
    {
        ServiceConnectionString = service;
        Dir = dir;
        SmtpPort = smtpPort;
        Settings = new Dictionary<string, string?>
        {
            ["CdrSource:Provider"] = "Postgres",
            ["CdrSource:ConnectionString"] = cdr,
            ["CdrSource:Table"] = "cdr",
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = service,
            ["SubscriptionSources:Folder"] = Path.Combine(dir.Path, "no-subscription-files"),
            ["Archive:Root"] = ArchiveRoot,
            ["Mail:Transport"] = "Smtp",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:From"] = "Carrier Reports <reports@carrier.example>",
            ["Mail:MaxAttempts"] = "3",
            ["Mail:InitialBackoff"] = "00:00:00.300",
            ["Mail:TimeoutSeconds"] = "10",
            ["Carriers:1"] = "Acme Telecom",
            ["Carriers:2"] = "Slowpoke Networks",
            ["Scheduling:ClusterCheckinInterval"] = "00:00:01",
            ["Scheduling:ClusterCheckinMisfireThreshold"] = "00:00:05",
            ["Scheduling:HeartbeatInterval"] = "00:00:01",
            ["Scheduling:StaleRunAfter"] = "00:00:06",
            ["Scheduling:RetryDelay"] = "00:00:01",
            ["Scheduling:MaxRunAttempts"] = "4",
            ["Scheduling:DatabaseRetryInterval"] = "00:00:01",
            ["Scheduling:MaxCatchUpRuns"] = "0",
            // Every node runs a web host: port 0 lets the kernel pick a free one (NodeProcess.WebUrlAsync reads it).
            ["Web:Urls"] = "http://127.0.0.1:0",
        };
        AddSubscription(0, "acme-5s", "1");
    }

    public string ServiceConnectionString { get; }

    public TempFolder Dir { get; }

    public int SmtpPort { get; }

    public string ArchiveRoot => Path.Combine(Dir.Path, "archive");

    /// <summary>Settings every node gets (as environment variables); a test may change them before starting nodes.</summary>
    public Dictionary<string, string?> Settings { get; }

    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    /// <summary>Every message any incarnation of the SMTP server accepted.</summary>
    public IReadOnlyList<SmtpTestServer.ReceivedMail> Mails
    {
        get
        {
            CollectAll();
            return [.. _received];
        }
    }

    /// <param name="cluster">The PostgreSQL to use for the service database (the CDRs may live elsewhere).</param>
    public static async Task<ClusterHarness> CreateAsync(PostgresCluster cluster, string cdrConnectionString, string name)
    {
        var service = await cluster.CreateDatabaseAsync($"cluster_{name}_{Guid.NewGuid():N}"[..40]);
        var harness = new ClusterHarness(service, cdrConnectionString, new TempFolder(), SmtpTestServer.FreePort());
        harness.StartSmtp();
        return harness;
    }

    /// <summary>A subscription firing every 5 seconds for the 5 seconds before the fire, to two recipients, CSV only.</summary>
    public void AddSubscription(int index, string id, string carrier)
    {
        var p = $"Subscriptions:{index}:";
        Settings[p + "Id"] = id;
        Settings[p + "Name"] = $"{id} (cluster test)";
        Settings[p + "Carrier"] = carrier;
        Settings[p + "Cadence"] = "0/5 * * * * ?";
        Settings[p + "Range"] = "now-5s..now";
        Settings[p + "TimeZone"] = "UTC";
        Settings[p + "Bucket"] = "hour";
        Settings[p + "Formats:0"] = "csv";
        Settings[p + "SettleDelay"] = "00:00:00";
        Settings[p + "Recipients:To:0"] = Recipient1;
        Settings[p + "Recipients:Bcc:0"] = Recipient2;
    }

    public NodeProcess StartNode(string name, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Scheduling:NodeName"] = name };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var node = NodeProcess.Start(name, settings, Dir.Path, "serve");
        _nodes.Add(node);
        return node;
    }

    public void StartSmtp()
    {
        _smtp = SmtpTestServer.Start(SmtpPort);
        _smtpServers.Add(_smtp);
    }

    /// <summary>Stops the SMTP server: connections are refused until <see cref="StartSmtp"/>.</summary>
    public async Task StopSmtpAsync()
    {
        if (_smtp is null)
        {
            return;
        }

        Collect(_smtp);
        await _smtp.DisposeAsync();
        _smtpServers.Remove(_smtp);
        _smtp = null;
    }

    /// <summary>Waits until <paramref name="done"/> holds; on timeout fails with <paramref name="what"/> and the node logs.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            CollectAll();
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (NpgsqlException)
            {
                // The database may be restarting in the test; ask again.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for: {what}\n{Logs()}");
    }

    /// <summary>Waits until the node has checked in to the Quartz cluster table (it is scheduling).</summary>
    public Task WaitForCheckInAsync(NodeProcess node, TimeSpan? timeout = null) =>
        WaitUntilAsync(async () => (await ClusterMembersAsync()).Contains(node.Name), timeout ?? TimeSpan.FromSeconds(60), $"node {node.Name} to join the cluster");

    public async Task<IReadOnlyList<string>> ClusterMembersAsync()
    {
        await using var c = await OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL", c);
        if (!(bool)(await exists.ExecuteScalarAsync())!)
        {
            return [];
        }

        await using var cmd = new NpgsqlCommand("SELECT instance_name FROM qrtz_scheduler_state", c);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    public async Task<IReadOnlyList<LedgerRun>> RunsAsync(string? subscriptionId = null)
    {
        await using var c = await OpenAsync();
        if (!await TableExistsAsync(c, "cr_runs"))
        {
            return [];
        }

        await using var cmd = new NpgsqlCommand("""
            SELECT run_id, subscription_id, period_from, period_to, scheduled_at, node, trigger_kind, attempt, status, error, note
            FROM cr_runs WHERE $1::text IS NULL OR subscription_id = $1 ORDER BY started_at
            """, c) { Parameters = { new() { Value = (object?)subscriptionId ?? DBNull.Value } } };
        var list = new List<LedgerRun>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(new LedgerRun(r.GetString(0), r.GetString(1), r.GetDateTime(2), r.GetDateTime(3), r.GetDateTime(4), r.GetString(5), r.GetString(6), r.GetInt32(7),
                r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10)));
        }

        return list;
    }

    public async Task<IReadOnlyList<LedgerDelivery>> DeliveriesAsync()
    {
        await using var c = await OpenAsync();
        if (!await TableExistsAsync(c, "cr_deliveries"))
        {
            return [];
        }

        await using var cmd = new NpgsqlCommand("SELECT subscription_id, period_from, recipient, message_id, outcome, attempts, run_id FROM cr_deliveries ORDER BY period_from, recipient", c);
        var list = new List<LedgerDelivery>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(new LedgerDelivery(r.GetString(0), r.GetDateTime(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6)));
        }

        return list;
    }

    /// <summary>The archive path and SHA-256 of every file the ledger says a run archived.</summary>
    public async Task<IReadOnlyList<(string RunId, string Path, string Sha256)>> ArtifactsAsync()
    {
        await using var c = await OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT run_id, archive_path, sha256 FROM cr_run_artifacts WHERE archive_path IS NOT NULL", c);
        var list = new List<(string, string, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
        }

        return list;
    }

    /// <summary>Every node's output so far, for failure messages.</summary>
    public string Logs() => string.Join("\n", _nodes.Select(n => n.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        foreach (var server in _smtpServers)
        {
            await server.DisposeAsync();
        }

        Dir.Dispose();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var c = new NpgsqlConnection(ServiceConnectionString);
        await c.OpenAsync();
        return c;
    }

    private static async Task<bool> TableExistsAsync(NpgsqlConnection c, string table)
    {
        await using var cmd = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", c) { Parameters = { new() { Value = table } } };
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    private void CollectAll()
    {
        foreach (var server in _smtpServers)
        {
            Collect(server);
        }
    }

    private void Collect(SmtpTestServer server)
    {
        while (server.Received.TryDequeue(out var mail))
        {
            _received.Enqueue(mail);
        }
    }
}
