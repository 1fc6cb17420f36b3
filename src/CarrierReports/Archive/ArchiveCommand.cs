using System.CommandLine;
using System.Globalization;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Archive;

/// <summary><c>archive list|get|verify|purge</c>: what auditors and operators do with the archive.</summary>
public static class ArchiveCommand
{
    public static Command Create(CliContext cli) => new("archive", "The archive of delivered reports (root: setting Archive:Root, default out/archive).")
    {
        List(cli),
        Get(cli),
        Verify(cli),
        Purge(cli),
    };

    private static Command Action(CliContext cli, Command command, Func<ParseResult, ArchiveStore, CancellationToken, Task<int>> run)
    {
        command.SetAction((parse, ct) => cli.RunAsync(parse, services => run(parse, services.GetRequiredService<ArchiveStore>(), ct)));
        return command;
    }

    private static Command List(CliContext cli)
    {
        var subscription = CliOptions.Text("--subscription", "Only this subscription's entries.", "id");
        var carrier = CliOptions.Text("--carrier", "Only this carrier's entries.", "id");
        var from = CliOptions.Text("--from", "Only periods starting on or after this local date.", "yyyy-mm-dd");
        var command = new Command("list", "The archive's entries, oldest first.") { subscription, carrier, from };
        return Action(cli, command, (parse, store, ct) => ListAsync(parse.GetValue(subscription), parse.GetValue(carrier), parse.GetValue(from), store, cli.Out, ct));
    }

    private static Command Get(CliContext cli)
    {
        var id = new Argument<string>("id") { Description = "The entry's id, as shown by 'archive list'." };
        var outDir = CliOptions.Text("--out", "The folder to copy the files into (required).", "dir");
        var force = CliOptions.Switch("--force", "Replace files that already exist in --out (never written through a link).");
        var command = new Command("get", "Copy an entry's files after checking every SHA-256.") { id, outDir, force };
        return Action(cli, command, (parse, store, ct) => GetAsync(parse.GetValue(id)!, parse.Require(outDir, "the folder to copy the files into"), parse.GetValue(force), store, cli.Out, ct));
    }

    private static Command Verify(CliContext cli)
    {
        var command = new Command("verify", "Check every entry against its manifest, its subscription's hash chain and the run ledger; exit 1 on any problem.");
        command.SetAction((parse, ct) => cli.RunAsync(parse, services =>
            VerifyAsync(services.GetRequiredService<ArchiveStore>(), services.GetRequiredService<ArchivedArtifacts>(), cli.Out, ct)));
        return command;
    }

    private static Command Purge(CliContext cli)
    {
        var olderThan = CliOptions.Number("--older-than", "Remove entries older than this many days (required).", "days", 1, 36_500, "a number of days in 1..36500");
        var by = CliOptions.Text("--by", "Age by period-end (default) or stored-at.", "period-end|stored-at");
        var dryRun = CliOptions.Switch("--dry-run", "Only print what would be removed.");
        var command = new Command("purge", "Remove old entries.") { olderThan, by, dryRun };
        return Action(cli, command, (parse, store, ct) =>
        {
            var days = parse.GetValue(olderThan) ?? throw new InputException("--older-than", "is required (a number of days, e.g. 400)");
            var age = parse.GetValue(by) switch
            {
                null or "period-end" => ArchiveAge.PeriodEnd,
                "stored-at" => ArchiveAge.StoredAt,
                var other => throw new InputException("--by", $"'{other}' is not period-end or stored-at"),
            };
            return PurgeAsync(days, age, parse.GetValue(dryRun), store, cli.Out, ct);
        });
    }

    private static async Task<int> ListAsync(string? subscription, string? carrier, string? fromText, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        var listing = await store.ListWithProblemsAsync(ct);
        IEnumerable<ArchiveEntry> entries = listing.Entries;
        if (subscription is not null)
        {
            entries = entries.Where(e => string.Equals(e.Run.Subscription, subscription, StringComparison.Ordinal));
        }

        if (carrier is not null)
        {
            entries = entries.Where(e => string.Equals(e.Run.Carrier, carrier, StringComparison.Ordinal));
        }

        if (fromText is not null)
        {
            if (!DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            {
                throw new InputException("--from", $"'{fromText}' is not a date (yyyy-mm-dd)");
            }

            // Local dates, as in the folder names: an October report is listed for --from 2026-10-01 in its own zone.
            entries = entries.Where(e => DateOnly.FromDateTime(e.LocalFrom.DateTime) >= from);
        }

        var list = entries.ToList();
        if (list.Count == 0)
        {
            await stdout.WriteLineAsync($"No archive entries{(subscription is not null || carrier is not null || fromText is not null ? " match" : "")} in {store.Root}.");
            return await ReportUnreadableAsync(listing.Problems, stdout);
        }

        string[] header = ["id", "carrier", "subscription", "period", "files", "stored-at"];
        var rows = list.Select(e => new[]
        {
            e.Id,
            e.Run.Carrier,
            e.Run.Subscription,
            $"{ArchivePaths.Stamp(e.LocalFrom)} to {ArchivePaths.Stamp(e.LocalTo)} {e.Run.Bucket} ({e.Run.TimeZone}){(e.Revision > 1 ? $" r{e.Revision}" : "")}",
            e.Files.Count.ToString(CultureInfo.InvariantCulture),
            ReportFormat.UtcTime(e.StoredAt),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        await stdout.WriteLineAsync(Line(header));
        foreach (var row in rows)
        {
            await stdout.WriteLineAsync(Line(row));
        }

        await stdout.WriteLineAsync($"{list.Count} entr{(list.Count == 1 ? "y" : "ies")} in {store.Root}");
        return await ReportUnreadableAsync(listing.Problems, stdout);
    }

    /// <summary>Folders that could not be read as entries are named with the reason, and make the exit code 1.</summary>
    private static async Task<int> ReportUnreadableAsync(IReadOnlyList<ArchiveProblem> problems, TextWriter stdout)
    {
        foreach (var p in problems)
        {
            await stdout.WriteLineAsync($"unreadable  {(p.FileName is null ? p.Path : $"{p.Path}/{p.FileName}")}: {p.Detail}");
        }

        if (problems.Count > 0)
        {
            await stdout.WriteLineAsync($"{problems.Count} folder(s) could not be read as archive entries; run 'archive verify'.");
        }

        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> GetAsync(string id, string outDir, bool force, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        var result = await store.ExportAsync(id, outDir, force, ct);
        if (!result.Ok)
        {
            foreach (var p in result.Problems)
            {
                await stdout.WriteLineAsync($"refused  {p.FileName}: {p.Detail}");
            }

            await stdout.WriteLineAsync($"Entry {result.Entry.Id} ({result.Entry.Path}) failed its integrity check; no file was copied. Run 'archive verify'.");
            return ExitCodes.Failed;
        }

        foreach (var (path, file) in result.WrittenPaths.Zip(result.Entry.Files))
        {
            await stdout.WriteLineAsync($"wrote    {path}  sha256 {file.Sha256}");
        }

        await stdout.WriteLineAsync($"wrote    {result.WrittenPaths[^1]}  (manifest)");
        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyAsync(ArchiveStore store, ArchivedArtifacts ledger, TextWriter stdout, CancellationToken ct)
    {
        var result = await store.VerifyAsync(await ledger.ListAsync(ct), ct);
        foreach (var p in result.Problems)
        {
            var where = p.FileName is null ? p.Path : $"{p.Path}/{p.FileName}";
            await stdout.WriteLineAsync($"{p.Kind.ToString().ToLowerInvariant(),-10}  {p.EntryId ?? "-",-12}  {where}: {p.Detail}");
        }

        // The heads are what an auditor copies somewhere the archive's writers cannot reach, to compare next time.
        foreach (var h in result.Heads)
        {
            await stdout.WriteLineAsync($"chain-head  {h.Subscription}  #{h.Sequence}  {h.EntrySha256}  {h.Path ?? "(purged)"}");
        }

        if (result.Unchained > 0)
        {
            await stdout.WriteLineAsync($"unchained   {result.Unchained} entries written before hash chaining: checked against their manifests and the ledger only");
        }

        if (result.Purged > 0)
        {
            await stdout.WriteLineAsync($"purged      {result.Purged} entries removed by 'archive purge' (per {store.Root}/.purge-log.jsonl)");
        }

        await stdout.WriteLineAsync(result.Ok
            ? $"ok: {result.Entries} entries, {result.Files} files match their manifests, hash chains and the run ledger ({store.Root})"
            : $"{result.Problems.Count} problem(s) in {result.Entries} entries, {result.Files} files ({store.Root})");
        return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> PurgeAsync(int days, ArchiveAge age, bool dryRun, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        var removed = await store.PurgeAsync(TimeSpan.FromDays(days), age, dryRun, ct);
        var verb = dryRun ? "would remove" : "removed";
        foreach (var e in removed)
        {
            await stdout.WriteLineAsync($"{verb}  {e.Id}  {e.Path}  (period end {ReportFormat.UtcTime(e.Run.UtcTo)}, stored {ReportFormat.UtcTime(e.StoredAt)})");
        }

        await stdout.WriteLineAsync($"{verb} {removed.Count} entr{(removed.Count == 1 ? "y" : "ies")} older than {days} days by {(age == ArchiveAge.PeriodEnd ? "period end" : "stored-at")}");
        return ExitCodes.Ok;
    }
}
