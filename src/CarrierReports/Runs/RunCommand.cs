using System.CommandLine;
using CarrierReports.Cli;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Runs;

/// <summary><c>run --subscription &lt;id&gt; [--as-of &lt;instant&gt;]</c>: one run through the scheduler's own path (ledger, archive, mail).</summary>
public static class RunCommand
{
    public static Command Create(CliContext cli)
    {
        var subscription = CliOptions.Text("--subscription", "The subscription to run (required); see 'subscriptions list'.", "id");
        var asOf = CliOptions.Text("--as-of", "The fire time whose period is reported (default: now).", "instant");
        var command = new Command("run", "One run through the scheduler's path: ledger, archive, mail.") { subscription, asOf };
        command.SetAction((parse, ct) => cli.RunAsync(parse, services => RunAsync(parse, subscription, asOf, services, cli.Out, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> subscriptionOption, Option<string?> asOfOption, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var id = parse.Require(subscriptionOption, "a subscription id; see 'subscriptions list'");
        var subscription = await services.GetRequiredService<SubscriptionCatalog>().GetAsync(id, cancellationToken);
        var zone = subscription.TimeZone;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var asOf = parse.GetValue(asOfOption) is { } t ? RangeExpression.ResolvePoint(t, zone, now, "--as-of") : now;
        var runner = services.GetRequiredService<SubscriptionRunner>();
        var ledger = services.GetRequiredService<RunLedger>();
        RunRecord run;
        try
        {
            run = await runner.RunAsync(subscription, asOf, RunTrigger.Manual, 1, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not InputException && !Storage.DatabaseErrors.IsAccessError(ex))
        {
            await stdout.WriteLineAsync($"run failed: {ex.Message}");
            await RunPrinter.WriteAsync(ledger, stdout, (await ledger.ListAsync(id, null, 1, cancellationToken))[0], cancellationToken);
            return ExitCodes.Failed;
        }

        await RunPrinter.WriteAsync(ledger, stdout, run, cancellationToken);
        return ExitCodes.Ok;
    }
}
