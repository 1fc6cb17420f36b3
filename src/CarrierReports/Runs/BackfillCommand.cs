using System.CommandLine;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using CarrierReports.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Runs;

/// <summary><c>backfill --subscription &lt;id&gt; --from &lt;t&gt; --to &lt;t&gt;</c>: every fire time of the cadence in [from, to), oldest first.</summary>
public static class BackfillCommand
{
    /// <inheritdoc cref="BackfillPlan.MaxRuns"/>
    public const int MaxRuns = BackfillPlan.MaxRuns;

    public static Command Create(CliContext cli)
    {
        var subscription = CliOptions.Text("--subscription", "The subscription to re-run (required).", "id");
        var from = CliOptions.Text("--from", "The first fire time to re-run, e.g. 2026-10-01 (required).", "time");
        var to = CliOptions.Text("--to", "The end, excluded, e.g. 2026-11-01 (required).", "time");
        var command = new Command("backfill", "Re-run past periods: every cadence fire time in [from, to).") { subscription, from, to };
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var id = parse.Require(subscription, "a subscription id; see 'subscriptions list'");
            var fromText = parse.Require(from, "the first fire time to re-run, e.g. 2026-10-01");
            var toText = parse.Require(to, "the end (excluded), e.g. 2026-11-01");
            return await BackfillAsync(id, fromText, toText, services, cli.Out, ct);
        }));
        return command;
    }

    private static async Task<int> BackfillAsync(string id, string fromText, string toText, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var subscription = await services.GetRequiredService<SubscriptionCatalog>().GetAsync(id, cancellationToken);
        var zone = subscription.TimeZone;
        var (_, fires) = BackfillPlan.Resolve(subscription, fromText, toText, services.GetRequiredService<TimeProvider>().GetUtcNow());
        var runner = services.GetRequiredService<SubscriptionRunner>();
        var failures = 0;
        for (var i = 0; i < fires.Count; i++)
        {
            string outcome;
            try
            {
                var run = await runner.RunAsync(subscription, fires[i], RunTrigger.Backfill, 1, cancellationToken);
                outcome = $"{run.Status.Name()}: {run.Note}";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
                outcome = $"failed: {ex.Message}";
            }

            await stdout.WriteLineAsync($"{ProgressBar(i + 1, fires.Count)} {i + 1}/{fires.Count} fire time {ReportFormat.LocalTime(TimeZoneInfo.ConvertTime(fires[i], zone))}: {outcome}");
        }

        await stdout.WriteLineAsync($"backfill of {id}: {fires.Count - failures} succeeded, {failures} failed");
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    internal static string ProgressBar(int done, int total, int width = 20)
    {
        var filled = (int)Math.Round(width * (double)done / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
