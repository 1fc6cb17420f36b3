using System.Globalization;
using CarrierReports.Rendering;
using CarrierReports.Runs;
using CarrierReports.Delivery;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Cli;

/// <summary><c>run</c>, <c>backfill</c> and <c>runs list</c>: runs through the scheduler's own path, and the ledger.</summary>
public static class RunCommands
{
    public static readonly string[] RunOptions = ["--subscription", "--as-of", "--config"];
    public static readonly string[] BackfillOptions = ["--subscription", "--from", "--to", "--config"];
    public static readonly string[] ListOptions = ["--subscription", "--status", "--limit", "--config"];

    /// <summary><c>run --subscription &lt;id&gt; [--as-of &lt;instant&gt;]</c>: one run for the period of that fire time.</summary>
    public static async Task<int> RunAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var id = args.Require("--subscription", "a subscription id; see 'subscriptions list'");
        var subscription = await services.GetRequiredService<SubscriptionCatalog>().GetAsync(id, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var asOf = args.Get("--as-of") is { } t ? RangeExpression.ResolvePoint(t, subscription.TimeZone, now, "--as-of") : now;
        var runner = services.GetRequiredService<SubscriptionRunner>();
        RunRecord run;
        try
        {
            run = await runner.RunAsync(subscription, asOf, RunTrigger.Manual, 1, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not InputException)
        {
            await stdout.WriteLineAsync($"run failed: {ex.Message}");
            await PrintRunAsync(services, stdout, (await services.GetRequiredService<RunLedger>().ListAsync(id, null, 1, cancellationToken))[0], cancellationToken);
            return CliApp.Failed;
        }

        await PrintRunAsync(services, stdout, run, cancellationToken);
        return CliApp.Ok;
    }

    /// <summary><c>backfill --subscription &lt;id&gt; --from &lt;t&gt; --to &lt;t&gt;</c>: every fire time of the cadence in [from, to), oldest first.</summary>
    public static async Task<int> BackfillAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var id = args.Require("--subscription", "a subscription id; see 'subscriptions list'");
        var subscription = await services.GetRequiredService<SubscriptionCatalog>().GetAsync(id, cancellationToken);
        var zone = subscription.TimeZone;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var period = RangeExpression.Resolve(args.Require("--from", "the first fire time to re-run, e.g. 2026-10-01"), args.Require("--to", "the end (excluded), e.g. 2026-11-01"), zone, now);
        var fires = subscription.FireTimesBetween(period.UtcFrom.AddTicks(-1), period.UtcTo.AddTicks(-1));
        if (fires.Count == 0)
        {
            throw new InputException("--from", $"the cadence '{subscription.Cadence}' does not fire between {ReportFormat.LocalTime(period.LocalFrom)} and {ReportFormat.LocalTime(period.LocalTo)}");
        }

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
        return failures == 0 ? CliApp.Ok : CliApp.Failed;
    }

    internal static string ProgressBar(int done, int total, int width = 20)
    {
        var filled = (int)Math.Round(width * (double)done / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    /// <summary><c>runs list [--subscription] [--status] [--limit]</c>.</summary>
    public static async Task<int> ListAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        RunStatus? status = null;
        if (args.Get("--status") is { } text)
        {
            status = RunNames.TryParseStatus(text, out var parsed)
                ? parsed
                : throw new InputException("--status", $"'{text}' is not a status; use {string.Join(", ", RunNames.Statuses)}");
        }

        var limit = 50;
        if (args.Get("--limit") is { } l && (!int.TryParse(l, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100_000))
        {
            throw new InputException("--limit", $"'{l}' is not a number between 1 and 100000");
        }

        var runs = await services.GetRequiredService<RunLedger>().ListAsync(args.Get("--subscription"), status, limit, cancellationToken);
        await stdout.WriteLineAsync($"{"run",-36} {"subscription",-20} {"status",-13} {"period (UTC)",-41} {"scheduled",-20} {"node",-20} detail");
        foreach (var r in runs)
        {
            await stdout.WriteLineAsync($"{r.RunId,-36} {r.SubscriptionId,-20} {r.Status.Name(),-13} {ReportFormat.UtcTime(r.PeriodFrom)}..{ReportFormat.UtcTime(r.PeriodTo),-20} {ReportFormat.UtcTime(r.ScheduledAt),-20} {r.Node,-20} {r.Trigger.Name()}#{r.Attempt} {r.Error ?? r.Note}");
        }

        if (runs.Count == 0)
        {
            await stdout.WriteLineAsync("(no runs)");
        }

        return CliApp.Ok;
    }

    private static async Task PrintRunAsync(IServiceProvider services, TextWriter stdout, RunRecord run, CancellationToken cancellationToken)
    {
        var ledger = services.GetRequiredService<RunLedger>();
        await stdout.WriteLineAsync($"run {run.RunId}: {run.Status.Name()} — subscription {run.SubscriptionId}, node {run.Node}");
        await stdout.WriteLineAsync($"  period    {ReportFormat.UtcTime(run.PeriodFrom)} to {ReportFormat.UtcTime(run.PeriodTo)} ({run.TimeZone}, range {run.Range})");
        await stdout.WriteLineAsync($"  scheduled {ReportFormat.UtcTime(run.ScheduledAt)}, started {ReportFormat.UtcTime(run.StartedAt)}");
        if (run.Note is not null)
        {
            await stdout.WriteLineAsync($"  note      {run.Note}");
        }

        if (run.Error is not null)
        {
            await stdout.WriteLineAsync($"  error     {run.Error}");
        }

        foreach (var a in await ledger.ArtifactsAsync(run.RunId, cancellationToken))
        {
            await stdout.WriteLineAsync($"  file      {a.FileName} {a.Bytes:N0} bytes sha256 {a.Sha256} archive {a.ArchiveId}");
        }

        foreach (var d in await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken))
        {
            await stdout.WriteLineAsync($"  mail      {d.Kind.Name()} {d.Recipient}: {d.Outcome.Name()} after {d.Attempts} attempt(s), {d.SmtpReply ?? d.Error}, Message-ID {d.MessageId}");
        }
    }
}
