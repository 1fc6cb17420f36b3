using System.Globalization;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Archive;

/// <summary><c>archive list|get|verify|purge</c>: what auditors and operators do with the archive.</summary>
public static class ArchiveCommand
{
    public static readonly string[] Options = ["--subscription", "--carrier", "--from", "--out", "--older-than", "--by", "--config"];
    public static readonly string[] Switches = ["--dry-run", "--force"];

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["list"] = ["--subscription", "--carrier", "--from"],
        ["get"] = ["--out", "--force"],
        ["verify"] = [],
        ["purge"] = ["--older-than", "--by", "--dry-run"],
    };

    public static async Task<int> RunAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken ct)
    {
        var sub = args.Positional.Count > 0 ? args.Positional[0] : null;
        if (sub is null || !Allowed.TryGetValue(sub, out var allowed))
        {
            throw new InputException("archive", $"{(sub is null ? "needs a sub-command" : $"'{sub}' is not a sub-command")}: list, get <id>, verify or purge");
        }

        foreach (var option in Options.Concat(Switches).Where(o => o != "--config" && args.Has(o) && !allowed.Contains(o)))
        {
            throw new InputException(option, $"is not an option of 'archive {sub}'");
        }

        var expected = sub == "get" ? 2 : 1;
        if (args.Positional.Count > expected)
        {
            throw new InputException("archive", $"unexpected '{args.Positional[expected]}' after 'archive {sub}'");
        }

        var store = services.GetRequiredService<ArchiveStore>();
        return sub switch
        {
            "list" => await ListAsync(args, store, stdout, ct),
            "get" => await GetAsync(args, store, stdout, ct),
            "verify" => await VerifyAsync(store, services.GetRequiredService<Runs.ArchivedArtifacts>(), stdout, ct),
            _ => await PurgeAsync(args, store, stdout, ct),
        };
    }

    private static async Task<int> ListAsync(CommandArgs args, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        var listing = await store.ListWithProblemsAsync(ct);
        IEnumerable<ArchiveEntry> entries = listing.Entries;
        if (args.Get("--subscription") is { } subscription)
        {
            entries = entries.Where(e => string.Equals(e.Run.Subscription, subscription, StringComparison.Ordinal));
        }

        if (args.Get("--carrier") is { } carrier)
        {
            entries = entries.Where(e => string.Equals(e.Run.Carrier, carrier, StringComparison.Ordinal));
        }

        if (args.Get("--from") is { } fromText)
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
            await stdout.WriteLineAsync($"No archive entries{(args.Has("--subscription") || args.Has("--carrier") || args.Has("--from") ? " match" : "")} in {store.Root}.");
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

        return problems.Count == 0 ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task<int> GetAsync(CommandArgs args, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        if (args.Positional.Count < 2)
        {
            throw new InputException("id", "is required: archive get <id> --out <dir> (ids are shown by 'archive list')");
        }

        var outDir = args.Require("--out", "the folder to copy the files into");
        var result = await store.ExportAsync(args.Positional[1], outDir, args.Has("--force"), ct);
        if (!result.Ok)
        {
            foreach (var p in result.Problems)
            {
                await stdout.WriteLineAsync($"refused  {p.FileName}: {p.Detail}");
            }

            await stdout.WriteLineAsync($"Entry {result.Entry.Id} ({result.Entry.Path}) failed its integrity check; no file was copied. Run 'archive verify'.");
            return CliApp.Failed;
        }

        foreach (var (path, file) in result.WrittenPaths.Zip(result.Entry.Files))
        {
            await stdout.WriteLineAsync($"wrote    {path}  sha256 {file.Sha256}");
        }

        await stdout.WriteLineAsync($"wrote    {result.WrittenPaths[^1]}  (manifest)");
        return CliApp.Ok;
    }

    private static async Task<int> VerifyAsync(ArchiveStore store, Runs.ArchivedArtifacts ledger, TextWriter stdout, CancellationToken ct)
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
        return result.Ok ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task<int> PurgeAsync(CommandArgs args, ArchiveStore store, TextWriter stdout, CancellationToken ct)
    {
        var daysText = args.Require("--older-than", "a number of days, e.g. 400");
        if (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 36_500)
        {
            throw new InputException("--older-than", $"'{daysText}' is not a number of days in 1..36500");
        }

        var age = args.Get("--by") switch
        {
            null or "period-end" => ArchiveAge.PeriodEnd,
            "stored-at" => ArchiveAge.StoredAt,
            var other => throw new InputException("--by", $"'{other}' is not period-end or stored-at"),
        };
        var dryRun = args.Has("--dry-run");
        var removed = await store.PurgeAsync(TimeSpan.FromDays(days), age, dryRun, ct);
        var verb = dryRun ? "would remove" : "removed";
        foreach (var e in removed)
        {
            await stdout.WriteLineAsync($"{verb}  {e.Id}  {e.Path}  (period end {ReportFormat.UtcTime(e.Run.UtcTo)}, stored {ReportFormat.UtcTime(e.StoredAt)})");
        }

        await stdout.WriteLineAsync($"{verb} {removed.Count} entr{(removed.Count == 1 ? "y" : "ies")} older than {days} days by {(age == ArchiveAge.PeriodEnd ? "period end" : "stored-at")}");
        return CliApp.Ok;
    }
}
