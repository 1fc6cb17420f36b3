using System.Text.Json;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Cli;

/// <summary><c>subscriptions list|validate|save</c>.</summary>
public static class SubscriptionsCommand
{
    public static readonly string[] Options = ["--file", "--config"];

    public static async Task<int> RunAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<SubscriptionCatalog>();
        switch (args.Positional.FirstOrDefault())
        {
            case "list":
            {
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                var all = await catalog.LoadAsync(cancellationToken);
                await stdout.WriteLineAsync($"{"id",-22} {"on",-3} {"carrier",-8} {"range",-16} {"bucket",-6} {"zone",-20} {"cadence",-22} {"next run",-26} {"to",3} origin");
                foreach (var s in all)
                {
                    var next = s.Enabled && s.NextFireAfter(now) is { } n ? Rendering.ReportFormat.LocalTime(TimeZoneInfo.ConvertTime(n, s.TimeZone)) : "-";
                    var count = s.Recipients.To.Count + s.Recipients.Cc.Count + s.Recipients.Bcc.Count;
                    await stdout.WriteLineAsync($"{s.Id,-22} {(s.Enabled ? "yes" : "no"),-3} {s.Carrier,-8} {s.Range,-16} {s.Definition.Bucket,-6} {s.Definition.TimeZone,-20} {s.Cadence,-22} {next,-26} {count,3} {s.Origin}");
                }

                if (all.Count == 0)
                {
                    await stdout.WriteLineAsync("(no subscriptions)");
                }

                return CliApp.Ok;
            }

            case "validate":
            {
                var all = await catalog.LoadAsync(cancellationToken);
                var templates = services.GetRequiredService<TemplateRenderer>();
                foreach (var folder in all.Select(s => s.TemplateFolder).Distinct())
                {
                    templates.Validate(folder, cancellationToken);
                }

                await stdout.WriteLineAsync($"{all.Count} subscriptions are valid ({all.Count(s => s.Enabled)} enabled); their templates load and render.");
                return CliApp.Ok;
            }

            case "save":
            {
                var file = args.Require("--file", "a JSON file with one subscription");
                SubscriptionDefinition subscription;
                try
                {
                    subscription = JsonSerializer.Deserialize<SubscriptionDefinition>(await File.ReadAllTextAsync(file, cancellationToken), SubscriptionCatalog.Json)
                                   ?? throw new InputException("--file", $"'{file}' holds no subscription");
                }
                catch (JsonException ex)
                {
                    throw new InputException("--file", $"'{file}': {(ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') + ": " : "")}{ex.Message}");
                }
                catch (FileNotFoundException)
                {
                    throw new InputException("--file", $"'{file}' does not exist");
                }

                await catalog.SaveAsync(subscription, cancellationToken);
                await stdout.WriteLineAsync($"saved subscription '{subscription.Id}' to the database");
                return CliApp.Ok;
            }

            default:
                throw new InputException("subscriptions", "use 'subscriptions list', 'subscriptions validate' or 'subscriptions save --file <json>'");
        }
    }
}
