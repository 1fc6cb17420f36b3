using CarrierReports.Cdr;
using System.CommandLine;
using System.Globalization;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

/// <summary><c>rollups status|refresh|rebuild|reconcile</c>: the pre-summed CDR slots reports read (README, Rollups).</summary>
public static class RollupsCommand
{
    public static Command Create(CliContext cli) => new("rollups", "Pre-summed CDRs per carrier, route and 15-minute UTC slot, which reports read instead of raw CDRs.")
    {
        Status(cli),
        Refresh(cli),
        Rebuild(cli),
        Reconcile(cli),
    };

    private static Command Status(CliContext cli)
    {
        var command = new Command("status", "Watermark, lag, rows and the last reconciliation.");
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var store = services.GetRequiredService<RollupStore>();
            var options = services.GetRequiredService<IOptions<RollupOptions>>().Value;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var state = await store.ReadStateAsync(ct);
            await cli.Out.WriteLineAsync($"enabled         {(options.Enabled ? "yes" : "no (Rollups:Enabled=false: reports read raw CDRs)")}");
            if (state is null)
            {
                await cli.Out.WriteLineAsync("watermark       none (no refresh yet; run 'rollups refresh' to backfill)");
                return ExitCodes.Ok;
            }

            var current = state.Fingerprint == await services.GetRequiredService<ICdrSlotSource>().FingerprintAsync(ct);
            var lag = now - state.Watermark;
            await cli.Out.WriteLineAsync($"watermark       {ReportFormat.UtcTime(state.Watermark)} (slots before it are summed)");
            await cli.Out.WriteLineAsync($"lag             {Math.Max(0, lag.TotalMinutes):0.#} min{(lag > options.MaxLag ? $" — over Rollups:MaxLag ({options.MaxLag})" : "")}");
            await cli.Out.WriteLineAsync($"last refresh    {ReportFormat.UtcTime(state.RefreshedAt)}");
            await cli.Out.WriteLineAsync($"rows            {await store.CountAsync(ct)}");
            await cli.Out.WriteLineAsync($"mapping         {(current ? "current" : "CHANGED since the rollups were built: reports read raw until the next refresh sums everything again")}");
            await cli.Out.WriteLineAsync(state.LastReconciliation is { } r
                ? $"reconciled      {ReportFormat.UtcTime(r.At)} for {ReportFormat.UtcTime(r.From)}..{ReportFormat.UtcTime(r.To)}: {r.DaysRepaired} carrier-day(s) differed and were summed again"
                : "reconciled      never");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Refresh(CliContext cli)
    {
        var command = new Command("refresh", "Sums [watermark − Rollups:LateWindow, now) again; the first time, the whole history (in chunks, with progress).");
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var watermark = await services.GetRequiredService<RollupRefresher>().RefreshAsync(Progress(cli), ct);
            await cli.Out.WriteLineAsync(watermark is { } w ? $"watermark {ReportFormat.UtcTime(w)}" : "no CDRs yet: nothing to sum");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Rebuild(CliContext cli)
    {
        var (from, to) = Range("Rebuild");
        var carrier = CliOptions.Text("--carrier", "Only this carrier's slots (e.g. after re-rating one carrier).", "id");
        var command = new Command("rebuild", "Sums the slots of a UTC range again from raw CDRs (bulk re-rating, corrections).") { from, to, carrier };
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var (a, b) = ReadRange(parse, from, to);
            var rows = await services.GetRequiredService<RollupRefresher>().RebuildAsync(a, b, parse.GetValue(carrier), Progress(cli), ct);
            await cli.Out.WriteLineAsync($"rebuilt {ReportFormat.UtcTime(a)}..{ReportFormat.UtcTime(b)}: {rows} rollup rows");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Reconcile(CliContext cli)
    {
        var (from, to) = Range("Compare");
        var command = new Command("reconcile", "Compares per carrier and UTC day the raw row count and duration sum with the rollups and sums every day that differs again.") { from, to };
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var (a, b) = ReadRange(parse, from, to);
            var differing = await services.GetRequiredService<RollupReconciler>().ReconcileAsync(a, b, ct);
            foreach (var (c, day) in differing)
            {
                await cli.Out.WriteLineAsync($"differed  carrier {c}  {day:yyyy-MM-dd}");
            }

            await cli.Out.WriteLineAsync($"{differing.Count} carrier-day(s) differed and were summed again");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (Option<string?> From, Option<string?> To) Range(string verb) =>
        (CliOptions.Text("--from", $"{verb} from this UTC day or instant (yyyy-MM-dd or ISO 8601), a 15-minute edge. Required.", "utc"),
         CliOptions.Text("--to", $"{verb} up to this UTC day or instant (exclusive), a 15-minute edge. Required.", "utc"));

    private static (DateTimeOffset From, DateTimeOffset To) ReadRange(ParseResult parse, Option<string?> from, Option<string?> to)
    {
        var a = Instant(parse.Require(from, "e.g. --from 2026-03-01"), from.Name);
        var b = Instant(parse.Require(to, "e.g. --to 2026-04-01"), to.Name);
        return a < b ? (a, b) : throw new InputException(to.Name, $"'{parse.GetValue(to)}' must be after --from");
    }

    private static DateTimeOffset Instant(string text, string option)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            throw new InputException(option, $"'{text}' is not a UTC date (yyyy-MM-dd) or an ISO 8601 instant");
        }

        return Slots.IsEdge(t) ? t : throw new InputException(option, $"'{text}' is not on a 15-minute edge (rollups are kept per 15-minute UTC slot)");
    }

    /// <summary>One line per chunk: how far the job is, so a long backfill shows it moves.</summary>
    private static IProgress<RollupProgress> Progress(CliContext cli) => new SyncProgress(p =>
    {
        var done = (p.ChunkTo - p.From) / (p.To - p.From);
        cli.Error.WriteLine($"[{new string('#', (int)(done * 20)),-20}] {done:P0} {ReportFormat.UtcTime(p.ChunkFrom)}..{ReportFormat.UtcTime(p.ChunkTo)} {p.RowsWritten} rows");
    });

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<RollupProgress> report) : IProgress<RollupProgress>
    {
        public void Report(RollupProgress value) => report(value);
    }
}
