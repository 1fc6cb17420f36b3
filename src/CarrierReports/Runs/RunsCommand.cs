using System.CommandLine;
using CarrierReports.Archive;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using CarrierReports.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary><c>runs list|show</c>: the run ledger.</summary>
public static class RunsCommand
{
    public static Command Create(CliContext cli) => new("runs", "The run ledger: what ran, when, where, and what it delivered.")
    {
        List(cli),
        Show(cli),
    };

    private static Command List(CliContext cli)
    {
        var subscription = CliOptions.Text("--subscription", "Only this subscription's runs.", "id");
        var status = CliOptions.Text("--status", $"Only runs with this status: {string.Join(", ", RunNames.Statuses)}.", "status");
        var limit = CliOptions.Number("--limit", "How many runs, newest first. Default 50.", "n", 1, 100_000, "a number between 1 and 100000");
        var command = new Command("list", "The latest runs, newest first.") { subscription, status, limit };
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            RunStatus? wanted = null;
            if (parse.GetValue(status) is { } text)
            {
                wanted = RunNames.TryParseStatus(text, out var parsed)
                    ? parsed
                    : throw new InputException("--status", $"'{text}' is not a status; use {string.Join(", ", RunNames.Statuses)}");
            }

            return await ListAsync(services, parse.GetValue(subscription), wanted, parse.GetValue(limit) ?? 50, cli.Out, ct);
        }));
        return command;
    }

    private static async Task<int> ListAsync(IServiceProvider services, string? subscription, RunStatus? status, int limit, TextWriter stdout, CancellationToken cancellationToken)
    {
        await stdout.WriteLineAsync($"{"run",-36} {"subscription",-20} {"status",-13} {"period (UTC)",-41} {"scheduled",-20} {"node",-20} detail");
        var runs = await RunsOrNoneAsync(services, db => db.ListAsync(subscription, status, limit, cancellationToken));
        foreach (var r in runs)
        {
            await stdout.WriteLineAsync($"{r.RunId,-36} {r.SubscriptionId,-20} {r.Status.Name(),-13} {ReportFormat.UtcTime(r.PeriodFrom)}..{ReportFormat.UtcTime(r.PeriodTo),-20} {ReportFormat.UtcTime(r.ScheduledAt),-20} {r.Node,-20} {r.Trigger.Name()}#{r.Attempt} {r.Error ?? r.Note}");
        }

        if (runs.Count == 0)
        {
            await stdout.WriteLineAsync("(no runs)");
            await stdout.WriteLineAsync($"({Where(services)})");
        }

        return ExitCodes.Ok;
    }

    private static Command Show(CliContext cli)
    {
        var id = new Argument<string>("run-id") { Description = "The run's id, as shown by 'runs list'." };
        var command = new Command("show", "One run: its files (size, SHA-256, archive location) and each recipient's outcome.") { id };
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var runId = parse.GetValue(id)!;
            var runs = await RunsOrNoneAsync(services, async ledger => await ledger.FindAsync(runId, ct) is { } r ? [r] : []);
            if (runs.Count == 0)
            {
                throw new InputException("run-id", $"no run has id '{runId}' ({Where(services)}); see 'runs list'");
            }

            var archive = services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Root;
            await RunPrinter.WriteAsync(services.GetRequiredService<RunLedger>(), cli.Out, runs[0], ct, Path.GetFullPath(archive));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Reads the ledger, unless its SQLite file does not exist: a read-only command does not create an empty database.</summary>
    private static async Task<IReadOnlyList<RunRecord>> RunsOrNoneAsync(IServiceProvider services, Func<RunLedger, Task<IReadOnlyList<RunRecord>>> read)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        return database.IsMissingSqliteFile() ? [] : await read(services.GetRequiredService<RunLedger>());
    }

    /// <summary>"settings: ...; database: ...": what a person needs when a command finds nothing.</summary>
    private static string Where(IServiceProvider services) =>
        $"{SettingsFiles.Describe(services.GetRequiredService<IConfiguration>())}; database: {services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Describe()}";
}
