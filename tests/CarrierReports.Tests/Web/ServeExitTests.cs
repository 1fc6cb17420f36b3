using System.Net;
using System.Net.Sockets;
using CarrierReports.Cli;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CarrierReports.Tests.Web;

/// <summary>
/// <c>serve</c> exits 0 only when asked to stop. A fatal error (the port taken, a background service that threw) exits 1
/// with one <c>error:</c> line naming the cause, so a supervisor with restart-on-failure restarts it.
/// </summary>
public sealed class ServeExitTests
{
    [Fact]
    public async Task PortAlreadyTaken_Exits1_NamingWebUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var serve = SqliteServe.Start(new Dictionary<string, string?> { ["Web:Urls"] = $"http://127.0.0.1:{port}" });

        var code = await serve.Node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 1, $"exit code {code}\n{serve.Node.Output}");
        var errors = serve.Node.Output.Split('\n').Where(l => l.Contains("| error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, serve.Node.Output);
        Assert.Contains($"error: Web:Urls: Failed to bind to address http://127.0.0.1:{port}: address already in use", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackgroundServiceThrows_Exits1_NamingTheServiceAndTheCause()
    {
        using var dir = new TempFolder();
        var settings = SqliteServe.Settings(dir.Path);
        settings["Database:ConnectionString"] = $"Data Source={Path.Combine(dir.Path, "service.db")}";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Any hosted service of the process may fail; this one stands for the scheduler's own and fails once started.
        var code = await CliApp.RunAsync(["serve"], stdout, stderr, settings,
            s => s.AddHostedService<FailsAfterStart>(), timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "serve did not stop after its background service failed");
        Assert.True(code == 1, $"exit code {code}\n{stderr}");
        Assert.Equal("error: FailsAfterStart failed and stopped serve: InvalidOperationException: the disk went away", stderr.ToString().Trim());
    }

    [Theory]
    [InlineData("http://+:8080", "Web:Urls: 'http://+:8080' listens beyond this machine (host '+' is not a loopback address); set Web:AllowRemote=true")]
    [InlineData("http://0.0.0.0:0", "Web:Urls: 'http://0.0.0.0:0' listens beyond this machine")]
    [InlineData("http://[::]:0", "Web:Urls: 'http://[::]:0' listens beyond this machine")]
    [InlineData("http://reports.example.net:8080", "host 'reports.example.net' is not a loopback address")]
    [InlineData("http://127.0.0.1:0;http://192.168.1.10:0", "Web:Urls: 'http://192.168.1.10:0' listens beyond this machine")]
    [InlineData("http://127.0.0.1:8080/reports", "Web:Urls: 'http://127.0.0.1:8080/reports' is not an address Kestrel can listen on")]
    [InlineData("ftp://127.0.0.1:21", "Web:Urls: 'ftp://127.0.0.1:21' is not an address")]
    [InlineData("http://127.0.0.1:70000", "Web:Urls: 'http://127.0.0.1:70000': port 70000 is outside 0..65535")]
    [InlineData(" ; ", "Web:Urls: is empty")]
    public async Task BadOrRemoteUrl_Exits2_NamingTheSetting(string urls, string message)
    {
        var result = await ServeInProcessAsync(new() { ["Web:Urls"] = urls });

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}\n{result.Stderr}");
        Assert.StartsWith("error: Web:Urls: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task OldHealthUrlSetting_Exits2_PointingAtWebUrls()
    {
        var result = await ServeInProcessAsync(new() { ["Health:Url"] = "http://+:8081/" });

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: Health:Url: is no longer supported", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("set Web:Urls", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KestrelEndpoints_AreRefused_SoTheLoopbackRuleCannotBeBypassed()
    {
        var result = await ServeInProcessAsync(new() { ["Kestrel:Endpoints:All:Url"] = "http://0.0.0.0:0" });

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: Kestrel:Endpoints: is not supported: list the addresses in Web:Urls", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>In-process <c>serve</c> with a time limit: a setting that is refused returns at once; one that is not would run until the limit.</summary>
    private static async Task<CliResult> ServeInProcessAsync(Dictionary<string, string?> extra)
    {
        using var dir = new TempFolder();
        var settings = SqliteServe.Settings(dir.Path);
        settings["Database:ConnectionString"] = $"Data Source={Path.Combine(dir.Path, "service.db")}";
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CliApp.RunAsync(["serve"], stdout, stderr, settings, cancellationToken: timeout.Token);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private sealed class FailsAfterStart : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            throw new InvalidOperationException("the disk went away");
        }
    }
}
