using CarrierReports.Archive;
using CarrierReports.Cdr;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CarrierReports.Tests.Runs;

/// <summary>
/// Issue 12, item 2 (render once, send many): identical subscriptions due at once query the CDR source and render
/// once on a node, and each still gets its own mail, run, archive entry and hash chain.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedRenderingTests(PostgresFixture pg) : IAsyncLifetime
{
    private const int Subscriptions = 6;
    private static readonly DateTimeOffset AsOf = new(2026, 10, 26, 6, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _dir = new();
    private string _cdr = "";
    private string _service = "";

    public async Task InitializeAsync()
    {
        _cdr = await pg.NewDatabaseAsync("shared_cdr");
        await CdrTable.Default.LoadPostgresAsync(_cdr, CdrTestData.Generate(perHour: 4));
        _service = await pg.NewDatabaseAsync("shared_service");
        var migrate = await CliRunner.RunAsync(Settings(25), "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private Dictionary<string, string?> Settings(int smtpPort, string thresholdOfLast = "50")
    {
        var s = CliRunner.Postgres(_cdr);
        s["Database:Provider"] = "Postgres";
        s["Database:ConnectionString"] = _service;
        s["SubscriptionSources:Folder"] = Path.Combine(_dir.Path, "no-such-folder");
        s["Archive:Root"] = Path.Combine(_dir.Path, "archive");
        s["Mail:Transport"] = "Smtp";
        s["Mail:Host"] = "127.0.0.1";
        s["Mail:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Mail:From"] = "Carrier Reports <reports@carrier.example>";
        s["Carriers:1"] = "Acme Telecom";
        for (var i = 0; i <= Subscriptions; i++)
        {
            var p = $"Subscriptions:{i}:";
            s[p + "Id"] = $"acme-daily-{i}";
            s[p + "Name"] = $"Acme daily for team {i}";
            s[p + "Carrier"] = "1";
            s[p + "Range"] = "previous-day";
            s[p + "TimeZone"] = "Europe/London";
            s[p + "Bucket"] = "hour";
            s[p + "Cadence"] = "daily@06:00";
            s[p + "Formats:0"] = "pdf";
            s[p + "Formats:1"] = "csv";
            s[p + "Recipients:To:0"] = $"team{i}@acme.example";
            s[p + "Recipients:Cc:0"] = $"lead{i}@acme.example";
            // The last one differs only in its ASR warning threshold: a different report, rendered on its own.
            s[p + "AsrWarningThresholdPct"] = i == Subscriptions ? thresholdOfLast : "50";
        }

        return s;
    }

    [Fact]
    public async Task IdenticalSubscriptionsDueAtOnce_QueryAndRenderOnce_EachIsDeliveredRecordedAndArchived()
    {
        await using var smtp = SmtpTestServer.Start();
        var builder = AppHost.CreateBuilder(null, Settings(smtp.Port, thresholdOfLast: "35"), LogLevel.Warning);
        var counting = new List<CountingCdrSource>();
        // The real source, counted: every aggregation the reports send to the CDR database passes here.
        builder.Services.AddSingleton<ICdrSource>(sp =>
        {
            var source = new CountingCdrSource(sp.GetRequiredKeyedService<ICdrSource>(CdrSetup.RawSource));
            counting.Add(source);
            return source;
        });
        using var host = builder.Build();
        var runner = host.Services.GetRequiredService<SubscriptionRunner>();
        var all = (await host.Services.GetRequiredService<SubscriptionCatalog>().LoadAsync(CancellationToken.None)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(Subscriptions + 1, all.Count);

        var runs = await Task.WhenAll(all.Select(s => Task.Run(() => runner.RunAsync(s, AsOf, RunTrigger.Schedule, 1, CancellationToken.None))));

        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        // Two reports (the six identical ones, and the one with another threshold), each the period plus the previous period.
        Assert.Equal(4, counting.Single().Queries);
        var mails = smtp.Received.ToList();
        Assert.Equal((Subscriptions + 1) * 2, mails.Count);
        for (var i = 0; i <= Subscriptions; i++)
        {
            Assert.Contains(mails, m => m.To.Contains($"team{i}@acme.example"));
            Assert.Contains(mails, m => m.To.Contains($"lead{i}@acme.example"));
        }

        // Each subscription has its run, its recorded files and its own archive entry; every chain verifies.
        await using var ledger = new NpgsqlConnection(_service);
        await ledger.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT count(DISTINCT r.subscription_id) FROM cr_runs r JOIN cr_run_artifacts a ON a.run_id = r.run_id WHERE r.status = 'succeeded'", ledger))
        {
            Assert.Equal(Subscriptions + 1L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        var archive = host.Services.GetRequiredService<ArchiveStore>();
        var entries = await archive.ListAsync(CancellationToken.None);
        Assert.Equal(Subscriptions + 1, entries.Select(e => e.Run.Subscription).Distinct().Count());
        var verify = await archive.VerifyAsync(await host.Services.GetRequiredService<ArchivedArtifacts>().ListAsync(CancellationToken.None), CancellationToken.None);
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
        Assert.Equal(Subscriptions + 1, verify.Heads.Count);
        // The six identical subscriptions archived identical files.
        var identical = entries.Where(e => e.Run.Subscription != $"acme-daily-{Subscriptions}").Select(e => string.Join(",", e.Files.Select(f => f.Sha256))).Distinct();
        Assert.Single(identical);
    }

    /// <summary>Passes every call on to the real source and counts the aggregations.</summary>
    private sealed class CountingCdrSource(ICdrSource inner) : ICdrSource
    {
        private int _queries;

        public int Queries => Volatile.Read(ref _queries);

        public string AnsweredRule => inner.AnsweredRule;

        public Task<CdrAggregate> AggregateAsync(CdrQuery query, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _queries);
            return inner.AggregateAsync(query, cancellationToken);
        }
    }
}
