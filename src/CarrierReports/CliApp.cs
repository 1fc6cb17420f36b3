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

    private const string Description = """
        CarrierReports: carrier performance reports (ASR per Route).

        Settings come from appsettings.json in the current folder, then --config, then environment variables
        (e.g. CdrSource__Provider=Postgres, CdrSource__Columns__Route=rate_card, Mail__Password).
        """;

    /// <summary>Every command by its name, in the order of the help; each is defined beside its feature.</summary>
    internal static readonly IReadOnlyList<(string Name, Func<CliContext, Command> Create)> Commands =
    [
        ("demo", DemoCommand.Create),
        ("report", ReportCommand.Create),
        ("serve", ServeCommand.Create),
        ("run", RunCommand.Create),
        ("backfill", BackfillCommand.Create),
        ("subscriptions", SubscriptionsCommand.Create),
        ("runs", RunsCommand.Create),
        ("health", HealthCommand.Create),
        ("archive", ArchiveCommand.Create),
        ("rollups", Rollups.RollupsCommand.Create),
        ("db", DbMigrateCommand.Create),
        ("users", cli => UsersCommand.Create(parse => cli.BuildHost(parse))),
        ("keys", cli => KeysCommand.Create(parse => cli.BuildHost(parse))),
        ("audit", cli => AuditCommand.Create(parse => cli.BuildHost(parse))),
    ];

    /// <summary>Every command.</summary>
    public static RootCommand CreateRoot(CliContext cli) => CreateRoot(cli, Commands);

    /// <summary>
    /// When the first word names a command, the tree holds only that one: its parse, help and errors are the same (a
    /// command's options and errors never involve its siblings), and a one-shot command does not build the other
    /// thirteen and their option sets at start. Anything else (--help, a typo, an option first) gets every command.
    /// </summary>
    internal static RootCommand CreateRootFor(CliContext cli, string[] args) =>
        args is [var first, ..] && Commands.Where(c => c.Name == first).ToList() is [var one] ? CreateRoot(cli, [one]) : CreateRoot(cli);

    private static RootCommand CreateRoot(CliContext cli, IEnumerable<(string Name, Func<CliContext, Command> Create)> commands)
    {
        var root = new RootCommand(Description) { cli.Config, cli.Verbose };
        foreach (var (_, create) in commands)
        {
            root.Subcommands.Add(create(cli));
        }

        return root;
    }

    /// <param name="settings">Settings that win over every file and variable (tests, and values the CLI derives).</param>
    /// <param name="configure">Lets tests replace services (e.g. the clock).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(stdout, stderr, settings, configure);
        var root = CreateRootFor(cli, args);
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
