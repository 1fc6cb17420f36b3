using System.CommandLine;
using System.Text.Json;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using CarrierReports.Templating;
using CarrierReports.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Subscriptions;

/// <summary><c>subscriptions list|show|validate|save|enable|disable|delete</c>.</summary>
public static class SubscriptionsCommand
{
    public static Command Create(CliContext cli) => new("subscriptions", "The subscriptions: from files, the settings and the database.")
    {
        Action(cli, new Command("list", "Every subscription with its cadence, next run and origin."), (_, services, ct) => ListAsync(services, cli.Out, ct)),
        Show(cli),
        Validate(cli),
        Save(cli),
        Change(cli, "enable", "Turn a database subscription on.", (c, id, ct) => c.SetEnabledAsync(id, true, ct), "enabled"),
        Change(cli, "disable", "Turn a database subscription off (it stays listed, and is not scheduled).", (c, id, ct) => c.SetEnabledAsync(id, false, ct), "disabled"),
        Change(cli, "delete", "Remove a database subscription; its runs stay in the ledger.", (c, id, ct) => c.DeleteAsync(id, ct), "deleted"),
    };

    private static Command Action(CliContext cli, Command command, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> run)
    {
        command.SetAction((parse, ct) => cli.RunAsync(parse, services => run(parse, services, ct)));
        return command;
    }

    private static readonly JsonSerializerOptions Indented = new(SubscriptionCatalog.Json) { WriteIndented = true };

    private static Argument<string> Id() => new("id") { Description = "The subscription's id, as shown by 'subscriptions list'." };

    private static async Task<int> ListAsync(IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var all = await services.GetRequiredService<SubscriptionCatalog>().LoadAsync(cancellationToken);
        await stdout.WriteLineAsync($"{"id",-22} {"on",-3} {"carrier",-8} {"range",-16} {"bucket",-6} {"zone",-20} {"cadence",-22} {"next run",-26} {"to",3} origin");
        foreach (var s in all)
        {
            var count = s.Recipients.To.Count + s.Recipients.Cc.Count + s.Recipients.Bcc.Count;
            await stdout.WriteLineAsync($"{s.Id,-22} {(s.Enabled ? "yes" : "no"),-3} {s.Carrier,-8} {s.Range,-16} {s.Definition.Bucket,-6} {s.Definition.TimeZone,-20} {s.Cadence,-22} {NextRun(s, now),-26} {count,3} {s.Origin}");
        }

        if (all.Count == 0)
        {
            await stdout.WriteLineAsync("(no subscriptions)");
        }

        return ExitCodes.Ok;
    }

    private static string NextRun(Subscription s, DateTimeOffset now)
    {
        return s.Enabled && s.NextFireAfter(now) is { } n ? ReportFormat.LocalTime(TimeZoneInfo.ConvertTime(n, s.TimeZone)) : "-";
    }

    private static Command Show(CliContext cli)
    {
        var id = Id();
        return Action(cli, new Command("show", "One subscription in full, as JSON, with where it is defined and its next run.") { id }, async (parse, services, ct) =>
        {
            var wanted = parse.GetValue(id)!;
            var all = await services.GetRequiredService<SubscriptionCatalog>().LoadAsync(ct);
            var s = all.FirstOrDefault(x => x.Id == wanted)
                    ?? throw new InputException("id", $"'{wanted}' is not a subscription (known: {string.Join(", ", all.Select(x => x.Id))})");
            await cli.Out.WriteLineAsync($"subscription {s.Id} ({s.Origin}), next run {NextRun(s, services.GetRequiredService<TimeProvider>().GetUtcNow())}");
            await cli.Out.WriteLineAsync(JsonSerializer.Serialize(s.Definition, Indented));
            return ExitCodes.Ok;
        });
    }

    private static Command Validate(CliContext cli)
    {
        var file = CliOptions.Text("--file", "Validate this JSON file (one subscription or an array) instead of the configured subscriptions.", "file.json");
        return Action(cli, new Command("validate", "Check subscriptions and that their templates load and render.") { file }, async (parse, services, ct) =>
        {
            var path = parse.GetValue(file);
            var all = path is null ? await services.GetRequiredService<SubscriptionCatalog>().LoadAsync(ct) : await ReadFileAsync(path, services.GetRequiredService<IOptions<RecipientLimitOptions>>().Value.MaxRecipients, ct);
            var templates = services.GetRequiredService<TemplateRenderer>();
            foreach (var folder in all.Select(s => s.TemplateFolder).Distinct())
            {
                templates.Validate(folder, ct);
            }

            await cli.Out.WriteLineAsync(path is null
                ? $"{all.Count} subscriptions are valid ({all.Count(s => s.Enabled)} enabled); their templates load and render."
                : $"{path}: {all.Count} subscription{(all.Count == 1 ? " is" : "s are")} valid; {(all.Count == 1 ? "its" : "their")} templates load and render.");
            return ExitCodes.Ok;
        });
    }

    private static Command Save(CliContext cli)
    {
        var file = CliOptions.Text("--file", "A JSON file with one subscription (required).", "file.json");
        return Action(cli, new Command("save", "Store a subscription in the database (insert or replace).") { file }, async (parse, services, ct) =>
        {
            var path = parse.Require(file, "a JSON file with one subscription");
            var subscription = await ReadOneAsync(path, ct);
            await services.GetRequiredService<SubscriptionCatalog>().SaveAsync(subscription, ct);
            await cli.Out.WriteLineAsync($"saved subscription '{subscription.Id}' to the database");
            return ExitCodes.Ok;
        });
    }

    private static Command Change(CliContext cli, string name, string description, Func<SubscriptionCatalog, string, CancellationToken, Task> change, string done)
    {
        var id = Id();
        return Action(cli, new Command(name, description) { id }, async (parse, services, ct) =>
        {
            var wanted = parse.GetValue(id)!;
            await change(services.GetRequiredService<SubscriptionCatalog>(), wanted, ct);
            await cli.Out.WriteLineAsync($"{done} subscription '{wanted}' in the database");
            return ExitCodes.Ok;
        });
    }

    /// <summary>Reads a file of one subscription, as <c>save</c> stores it.</summary>
    private static async Task<SubscriptionDefinition> ReadOneAsync(string file, CancellationToken cancellationToken) =>
        Deserialize<SubscriptionDefinition>(file, await ReadTextAsync(file, cancellationToken)) ?? throw new InputException("--file", $"'{file}' holds no subscription");

    /// <summary>Reads a file of one subscription or an array, and validates each; throws with every error, each naming the file.</summary>
    private static async Task<IReadOnlyList<Subscription>> ReadFileAsync(string file, int maxRecipients, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(file, cancellationToken);
        var items = text.TrimStart().StartsWith('[')
            ? Deserialize<List<SubscriptionDefinition>>(file, text) ?? []
            : [Deserialize<SubscriptionDefinition>(file, text) ?? throw new InputException("--file", $"'{file}' holds no subscription")];
        var errors = new List<string>();
        var valid = new List<Subscription>();
        foreach (var (d, i) in items.Select((d, i) => (d, i)))
        {
            if (d is null)
            {
                errors.Add($"--file: '{file}': [{i}]: is null");
                continue;
            }

            try
            {
                valid.Add(Subscription.Create(d, file, maxRecipients));
            }
            catch (SubscriptionException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return errors.Count == 0 ? valid : throw new SubscriptionException(errors);
    }

    private static async Task<string> ReadTextAsync(string file, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InputException("--file", "is empty; give the path of a JSON file");
        }

        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException("--file", $"'{file}' does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder, a file without read permission: still the flag's fault, not a crash of the command.
            throw new InputException("--file", Directory.Exists(file) ? $"'{file}' is a folder, not a file" : $"'{file}' cannot be read: {ex.Message}");
        }
    }

    private static T? Deserialize<T>(string file, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, SubscriptionCatalog.Json);
        }
        catch (JsonException ex)
        {
            throw new InputException("--file", $"'{file}': {(ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') + ": " : "")}{ex.Message}");
        }
    }
}
