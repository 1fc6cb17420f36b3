using System.CommandLine;
using System.CommandLine.Invocation;
using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Cli;
using CarrierReports.Demo;
using CarrierReports.Health;
using CarrierReports.Identity;
using CarrierReports.Reports;
using CarrierReports.Runs;
using CarrierReports.Scheduling;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports;

/// <summary>The command line: the table of commands, and every error turned into one clear line and an exit code.</summary>
public static class CliApp
{
    public const int Ok = ExitCodes.Ok;
    public const int Failed = ExitCodes.Failed;
    public const int BadInput = ExitCodes.BadInput;

    /// <summary>Every command; each is defined beside its feature.</summary>
    public static RootCommand CreateRoot(CliContext cli) => new("""
        CarrierReports: carrier performance reports (ASR per Route).

        Settings come from appsettings.json in the current folder, then --config, then environment variables
        (e.g. CdrSource__Provider=Postgres, CdrSource__Columns__Route=rate_card, Mail__Password).
        """)
    {
        cli.Config,
        cli.Verbose,
        DemoCommand.Create(cli),
        ReportCommand.Create(cli),
        ServeCommand.Create(cli),
        RunCommand.Create(cli),
        BackfillCommand.Create(cli),
        SubscriptionsCommand.Create(cli),
        RunsCommand.Create(cli),
        HealthCommand.Create(cli),
        ArchiveCommand.Create(cli),
        Rollups.RollupsCommand.Create(cli),
        DbMigrateCommand.Create(cli),
        UsersCommand.Create(parse => cli.BuildHost(parse)),
        KeysCommand.Create(parse => cli.BuildHost(parse)),
        AuditCommand.Create(parse => cli.BuildHost(parse)),
    };

    /// <param name="settings">Settings that win over every file and variable (tests, and values the CLI derives).</param>
    /// <param name="configure">Lets tests replace services (e.g. the clock).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(stdout, stderr, settings, configure);
        var root = CreateRoot(cli);
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Errors are ours to word (one line, exit 2 or 1), and Program.cs already turns Ctrl+C into cancellation.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        if (args is [] or ["help"])
        {
            await root.Parse(["--help"]).InvokeAsync(invocation, cancellationToken);
            return args.Length == 0 ? BadInput : Ok;
        }

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ParseErrors.Describe(parse))}");
            return BadInput;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex)
        {
            return await ReportAsync(ex, stderr, parse.GetValue(cli.Verbose), cli.LastConfiguration is { } c ? DatabaseRoles.From(c) : new DatabaseRoles(null, null), cancellationToken);
        }
    }

    /// <summary>
    /// An error is one line: a value that carries a line break or another control character (a hostile flag, file or
    /// setting) is echoed with it escaped (\n, \u0007), so it can neither split the line nor forge a second one.
    /// </summary>
    internal static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Input errors: one line each, exit 2. Anything else: one line, exit 1; the stack trace only with --verbose.</summary>
    private static async Task<int> ReportAsync(Exception ex, TextWriter stderr, bool verbose, DatabaseRoles roles, CancellationToken cancellationToken)
    {
        if ((ex is DatabaseAccessException ? ex.Message : await DatabaseErrors.DescribeAsync(ex, roles, CancellationToken.None)) is { } database)
        {
            await stderr.WriteLineAsync($"error: {database}");
            if (verbose)
            {
                await stderr.WriteLineAsync(ex.ToString());
            }

            return Failed;
        }

        IEnumerable<string>? inputErrors = ex switch
        {
            InputException input => [input.Message],
            SubscriptionException subscriptions => subscriptions.Errors,
            OptionsValidationException options => options.Failures,
            InvalidOperationException when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [ex.Message],
            _ => null,
        };
        if (inputErrors is not null)
        {
            foreach (var error in inputErrors)
            {
                await stderr.WriteLineAsync($"error: {OneLine(error)}");
            }
        }
        else if (ex is InvalidDataException)
        {
            // Damaged stored data (a manifest, an archived file): the message names the file and the field; the type adds nothing.
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}");
        }
        else if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return Failed;
        }
        else
        {
            await stderr.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}{(verbose ? "" : " (run with --verbose for the stack trace)")}");
        }

        if (verbose)
        {
            await stderr.WriteLineAsync(ex.ToString());
        }

        return inputErrors is null ? Failed : BadInput;
    }
}
