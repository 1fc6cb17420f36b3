using System.CommandLine;
using CarrierReports.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Web;

/// <summary>
/// <c>serve</c>: the scheduler (unless web-only) and the web host in one process, until SIGTERM/Ctrl+C. Exit code 0 only
/// when it was asked to stop; 1 when it stopped because something failed (a background service threw, the port was
/// taken), so a supervisor with restart-on-failure restarts it.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var webOnly = CliOptions.Switch("--web-only", "Serve the web host (health, and later the console and API) but run no jobs: a web node of a cluster. Same as Web:Scheduler=false.");
        var command = new Command("serve", "Run the scheduler and the web host (Web:Urls, default http://127.0.0.1:8080): every enabled subscription fires on its cadence (SIGTERM/Ctrl+C waits for running jobs). With Database:Provider=Postgres, several nodes share the work (Quartz clustering).")
        {
            webOnly,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(cli.Config), parse.GetValue(webOnly), parse.GetValue(cli.Verbose), cli.Settings, cli.Configure, cli.Error, ct));
        return command;
    }

    /// <param name="configure">Lets tests replace services (e.g. the clock).</param>
    public static async Task<int> RunAsync(string? configFile, bool webOnly, bool verbose, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? configure, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (built, scheduler) = WebAppFactory.Build(configFile, webOnly, verbose, settings, configure);
        await using var app = built;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CarrierReports.Web");
        // The tables first: the scheduler and the web host only use them (see 'db migrate').
        await app.Services.GetRequiredService<Storage.SchemaMigrator>().MigrateAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException or System.Net.Sockets.SocketException)
        {
            await stderr.WriteLineAsync($"error: {WebOptions.Section}:Urls: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A background service failed while the rest was still starting: the host stopped itself, which cancels
            // the start. Report the service's failure, as when it fails later.
            return await ExitCodeAsync(app.Services, logger, stderr);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Log.Listening(logger, string.Join(", ", addresses));
        if (!scheduler)
        {
            Log.WebOnly(logger);
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return await ExitCodeAsync(app.Services, logger, stderr);
    }

    /// <summary>
    /// The host stops on its own when a background service throws (BackgroundServiceExceptionBehavior.StopHost) and
    /// returns as if asked to; the failed service's task is what tells the two apart.
    /// </summary>
    private static async Task<int> ExitCodeAsync(IServiceProvider services, ILogger logger, TextWriter stderr)
    {
        var failed = services.GetServices<IHostedService>().OfType<BackgroundService>()
            .FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        if (failed?.ExecuteTask?.Exception is not { } error)
        {
            return ExitCodes.Ok;
        }

        var cause = error.InnerExceptions.Count == 1 ? error.InnerException! : error;
        var name = failed.GetType().Name;
        Log.ServiceFailed(logger, name, cause.Message);
        await stderr.WriteLineAsync($"error: {name} failed and stopped serve: {cause.GetType().Name}: {cause.Message}");
        return ExitCodes.Failed;
    }
}
