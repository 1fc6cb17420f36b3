using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Web;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// The HTTP API over a large service database: the app (the same web application as <c>serve --web-only</c>) on real
/// Kestrel at 127.0.0.1, a PostgreSQL database seeded with <see cref="ApiSeed"/>, and sequential GETs signed in with an
/// API key (API URLs) or a session cookie (console pages, <c>--page</c>). Also times password sign-ins.
/// </summary>
public static class ApiBenchmark
{
    /// <summary>Issue 10's bar for the API; console pages (issue 11) get twice this.</summary>
    public const double TargetP95Ms = 50;

    public static async Task<int> RunAsync(ApiOptions o, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var work = new TempFolder("carrierreports-api-bench-");
        PostgresCluster? cluster = null;
        try
        {
            var connection = o.Connection;
            if (connection is null)
            {
                cluster = await PostgresCluster.StartAsync(cancellationToken);
                await cluster.CreateDatabaseAsync("carrierreports_api", cancellationToken);
                connection = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = cluster.Port, Username = "postgres", Database = "carrierreports_api" }.ConnectionString;
            }

            await using var db = NpgsqlDataSource.Create(connection);
            Console.WriteLine($"# API benchmark: {o.Subscriptions:N0} subscriptions, {o.Runs:N0} runs × {ApiSeed.RecipientsPerRun} deliveries");
            Console.WriteLine();
            var (built, _) = WebAppFactory.Build(null, webOnly: true, verbose: false, Settings(connection, work), null);
            await using var app = built;
            await app.Services.GetRequiredService<Storage.SchemaMigrator>().MigrateAsync(cancellationToken);
            if (await ApiSeed.IsSeededAsync(db, o, cancellationToken))
            {
                Console.WriteLine("Seed: the database already holds this data set; reused.");
            }
            else
            {
                var seedClock = Stopwatch.StartNew();
                await ApiSeed.SeedAsync(db, o, DateTimeOffset.UtcNow, cancellationToken);
                Console.WriteLine($"Seed: {seedClock.Elapsed.TotalSeconds:0} s");
            }

            await app.StartAsync(cancellationToken);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            var results = await MeasureAsync(app, address, db, o, cancellationToken);
            await ReportAsync(db, o, results, cancellationToken);
            await app.StopAsync(cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:0} s.");
            return results.Probes.All(r => r.P95 <= (r.Target.Session ? 2 * TargetP95Ms : TargetP95Ms)) ? 0 : 1;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private sealed record Results(IReadOnlyList<ProbeResult> Probes, ProbeResult SignIn);

    private static Dictionary<string, string?> Settings(string connection, TempFolder work) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = connection,
        ["Mail:Transport"] = "Pickup",
        ["Mail:PickupFolder"] = work.PathOf("mail"),
        ["Mail:From"] = "reports@bench.example",
        ["Archive:Root"] = work.PathOf("archive"),
        ["SubscriptionSources:Folder"] = work.PathOf("no-subscription-files"),
        ["Web:Urls"] = "http://127.0.0.1:0",
        ["Web:Scheduler"] = "false",
        ["Web:SignInPermitsPerMinute"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<Results> MeasureAsync(WebApplication app, Uri address, NpgsqlDataSource db, ApiOptions o, CancellationToken cancellationToken)
    {
        var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("benchmark", Role.Auditor, CarrierScope.All, null, "benchmark", cancellationToken);
        using var keyClient = new HttpClient { BaseAddress = address };
        keyClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Token);

        const string password = "benchmark password 7f3a";
        var user = $"bench{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var (role, scope) = o.As switch
        {
            "admin" => (Role.Admin, CarrierScope.All),
            "viewer" => (Role.Viewer, CarrierScope.Of([(ApiSeed.FirstCarrier + 0).ToString(CultureInfo.InvariantCulture)])),
            _ => (Role.Operator, CarrierScope.All),
        };
        await app.Services.GetRequiredService<UserStore>().AddAsync(user, role, scope, password, cancellationToken);
        using var session = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var signIn = await SignInAsync(session, user, password, o.SignIns, cancellationToken);

        var facts = await SeedFacts.ReadAsync(db, cancellationToken);
        var probes = new List<ProbeResult>();
        foreach (var target in Targets(facts, o))
        {
            var result = await LatencyProbe.MeasureAsync(target.Session ? session : keyClient, target, o.Samples, cancellationToken);
            probes.Add(result);
            Console.WriteLine(FormattableString.Invariant($"  {target.Name}: p50 {result.P50:0.0} ms, p95 {result.P95:0.0} ms"));
        }

        return new Results(probes, signIn);
    }

    /// <summary>
    /// Every URL the benchmark times, in one place. API URLs use the key; console pages (issue 11) come from
    /// <c>--page</c>/<c>--pages</c> and use the session cookie, so adding one is a command-line argument.
    /// </summary>
    private static IEnumerable<ProbeTarget> Targets(SeedFacts f, ApiOptions o)
    {
        yield return new("runs of the busy subscription, first page", $"/api/v1/runs?subscription={ApiSeed.BusyId}&limit=50", false);
        yield return new($"runs of the busy subscription, deep page (after run {f.DeepOffset:N0} of {f.BusyRuns:N0})", $"/api/v1/runs?subscription={ApiSeed.BusyId}&limit=50&after={f.DeepRunCursor}", false);
        yield return new("runs of a daily subscription, first page", $"/api/v1/runs?subscription={f.Daily}&limit=50", false);
        // Not measured by default: the carrier filter (and a carrier-scoped caller) still maps every subscription to
        // its carrier per request (seconds at this size; README). Time it with --page "/api/v1/runs?carrier={carrier}".
        yield return new("all runs, first page", "/api/v1/runs?limit=50", false);
        yield return new("run detail (artifacts, deliveries)", $"/api/v1/runs/{f.Run}", false);
        yield return new("subscriptions, first page", "/api/v1/subscriptions?limit=100", false);
        yield return new("subscriptions, deep page", $"/api/v1/subscriptions?limit=100&after={f.DeepSubscriptionCursor}", false);
        yield return new("subscription detail", $"/api/v1/subscriptions/{f.Daily}", false);
        yield return new("subscription history", $"/api/v1/subscriptions/{f.Daily}/versions", false);
        foreach (var page in o.Pages)
        {
            var path = page.Replace("{subscription}", ApiSeed.BusyId, StringComparison.Ordinal).Replace("{daily}", f.Daily, StringComparison.Ordinal)
                .Replace("{run}", f.Run, StringComparison.Ordinal).Replace("{carrier}", f.Carrier, StringComparison.Ordinal);
            yield return new($"page {page}", path, true);
        }
    }

    /// <summary>Password sign-ins, timed: the PBKDF2 hash dominates. The last one's cookie serves the console pages.</summary>
    private static async Task<ProbeResult> SignInAsync(HttpClient session, string user, string password, int count, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < count + 2; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await session.PostAsJsonAsync(SessionEndpoints.Path, new { user, password }, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            if (i >= 2)
            {
                times.Add(elapsed);
            }
        }

        var token = await session.GetFromJsonAsync<SessionEndpoints.AntiforgeryToken>(SessionEndpoints.AntiforgeryPath, cancellationToken);
        session.DefaultRequestHeaders.Add(AuthSchemes.AntiforgeryHeader, token!.Token);
        return LatencyProbe.Summarise(new ProbeTarget("password sign-in", SessionEndpoints.Path, false), times, 0);
    }

    private static async Task ReportAsync(NpgsqlDataSource db, ApiOptions o, Results results, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine($"## Result ({o.Samples} sequential requests per URL after {LatencyProbe.WarmUp} warm-up ones; session role {o.As}; API p95 target {TargetP95Ms:0} ms, console pages {2 * TargetP95Ms:0} ms)");
        Console.WriteLine();
        LatencyProbe.Print(results.Probes, TargetP95Ms);
        var s = results.SignIn;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Password sign-in (POST {SessionEndpoints.Path}, ASP.NET Core Identity PasswordHasher): p50 {s.P50:0.0} ms, p95 {s.P95:0.0} ms, max {s.Max:0.0} ms over {s.Samples} sign-ins."));
        var m = await MachineFacts.ReadAsync(db, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"Machine: {m.Cores} cores ({m.Cpu}), {m.Ram} RAM, {m.Os}, {m.Dotnet}, {m.Postgres} ({m.PostgresSettings}).");
        if (File.Exists("/proc/loadavg"))
        {
            Console.WriteLine($"Load average at the end: {(await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim()}");
        }
    }
}
