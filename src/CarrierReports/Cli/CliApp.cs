using CarrierReports.Archive;
using CarrierReports.Demo;
using CarrierReports.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Cli;

/// <summary>The command line: picks the command, builds the host, turns errors into one clear line and an exit code.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    private const string Usage = """
        CarrierReports: carrier performance reports (ASR per Route).

        Usage: dotnet run --project src/CarrierReports -- <command> [options]

        Commands:
          demo      Create a sample SQLite CDR store in ./data and write example reports into ./out.
          report    Write one ASR per Route report:
                      --carrier <id> (--range <expr> | --from <t> --to <t>) --tz <IANA zone>
                      [--bucket hour|day|month] [--format csv,pdf,xlsx] [--out <dir>] [--as-of <instant>]
          serve     Run the scheduler: every enabled subscription fires on its cadence (SIGTERM/Ctrl+C waits for
                    running jobs). With Database:Provider=Postgres, several nodes share the work (Quartz clustering).
          run       One run through the scheduler's path (ledger, archive, mail): --subscription <id> [--as-of <instant>]
          backfill  Re-run past periods: --subscription <id> --from <t> --to <t> (every cadence fire time in [from, to))
          subscriptions list | validate | save --file <json>
          runs list [--subscription <id>] [--status running|succeeded|failed|skipped-empty] [--limit <n>]
          health    Database, cluster members (last check-in), triggers, stuck runs, the oldest overdue subscription
                    and the last failed run; exit 1 when unhealthy. serve answers GET /health too when Health:Url is set.
          archive   The archive of delivered reports (root: setting Archive:Root, default out/archive):
                      list [--subscription <id>] [--carrier <id>] [--from <yyyy-mm-dd>]
                      get <id> --out <dir>        copies an entry's files after checking every SHA-256
                      verify                      checks every file; exit 1 if any is missing or changed
                      purge --older-than <days> [--by period-end|stored-at] [--dry-run]

        Common options: --config <file.json> (extra settings), --verbose (stack traces and debug logs).
        Settings come from appsettings.json in the current folder, then --config, then environment variables
        (e.g. CdrSource__Provider=Postgres, CdrSource__Columns__Route=rate_card).
        """;

    /// <param name="configure">Lets tests replace services (e.g. the clock).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        var verbose = args.Contains("--verbose");
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                await stdout.WriteLineAsync(Usage);
                return args.Length == 0 ? BadInput : Ok;
            }

            var command = args[0];
            var rest = args[1..];
            IHost Host(CommandArgs a, bool scheduling = false)
            {
                var level = a.Has("--verbose") ? LogLevel.Debug : scheduling ? LogLevel.Information : LogLevel.Warning;
                var builder = AppHost.CreateBuilder(a.Get("--config"), settings, level);
                if (scheduling)
                {
                    builder.Services.AddScheduling(builder.Configuration);
                }

                configure?.Invoke(builder.Services);
                return builder.Build();
            }

            switch (command)
            {
                case "report":
                {
                    var a = CommandArgs.Parse(command, rest, ReportCommand.Options, Common);
                    using var host = Host(a);
                    return await ReportCommand.RunAsync(a, host.Services, stdout, stderr, cancellationToken);
                }

                case "demo":
                {
                    var a = CommandArgs.Parse(command, rest, [.. DemoCommand.Options, "--config"], Common);
                    using var host = Host(a);
                    return await DemoCommand.RunAsync(a, host.Services, stdout, cancellationToken);
                }

                case "serve":
                {
                    var a = CommandArgs.Parse(command, rest, ["--config"], Common);
                    using var host = Host(a, scheduling: true);
                    await host.RunAsync(cancellationToken);
                    return Ok;
                }

                case "run":
                {
                    var a = CommandArgs.Parse(command, rest, RunCommands.RunOptions, Common);
                    using var host = Host(a);
                    return await RunCommands.RunAsync(a, host.Services, stdout, cancellationToken);
                }

                case "backfill":
                {
                    var a = CommandArgs.Parse(command, rest, RunCommands.BackfillOptions, Common);
                    using var host = Host(a);
                    return await RunCommands.BackfillAsync(a, host.Services, stdout, cancellationToken);
                }

                case "runs" when rest.FirstOrDefault() == "list":
                {
                    var a = CommandArgs.Parse("runs list", rest[1..], RunCommands.ListOptions, Common);
                    using var host = Host(a);
                    return await RunCommands.ListAsync(a, host.Services, stdout, cancellationToken);
                }

                case "subscriptions":
                {
                    var a = CommandArgs.Parse(command, rest, SubscriptionsCommand.Options, Common);
                    using var host = Host(a);
                    return await SubscriptionsCommand.RunAsync(a, host.Services, stdout, cancellationToken);
                }

                case "health":
                {
                    var a = CommandArgs.Parse(command, rest, Health.HealthCommand.Options, Common);
                    using var host = Host(a);
                    return await Health.HealthCommand.RunAsync(host.Services, stdout, cancellationToken);
                }

                case "archive":
                {
                    var a = CommandArgs.Parse(command, rest, ArchiveCommand.Options, [.. Common, .. ArchiveCommand.Switches]);
                    using var host = Host(a);
                    return await ArchiveCommand.RunAsync(a, host.Services, stdout, cancellationToken);
                }

                default:
                    await stderr.WriteLineAsync($"error: '{command}' is not a command (try --help)");
                    return BadInput;
            }
        }
        catch (InputException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            if (verbose)
            {
                await stderr.WriteLineAsync(ex.ToString());
            }

            return BadInput;
        }
        catch (Subscriptions.SubscriptionException ex)
        {
            foreach (var error in ex.Errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }

            return BadInput;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync($"error: {failure}");
            }

            return BadInput;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return Failed;
        }
        catch (Exception ex) when (!verbose)
        {
            await stderr.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message} (run with --verbose for details)");
            return Failed;
        }
    }

    /// <summary>Switches every command accepts.</summary>
    internal static readonly string[] Common = ["--verbose"];
}
