using System.Text;
using System.Text.Json;

namespace CarrierReports.Archive;

/// <summary>One entry removed by <c>archive purge</c>: enough to tell a purge from a deletion and to keep the chain linked.</summary>
internal sealed record PurgedEntry(DateTimeOffset PurgedAt, string EntryId, string Path, string Subscription, long? ChainSequence, string EntrySha256);

/// <summary>
/// <c>.purge-log.jsonl</c> in the archive root, one JSON line per purged entry, appended before the entry is deleted.
/// Verify accepts a ledger entry missing from disk, and a chain that starts after sequence 1, only when this log names
/// it. The log lives in the archive, so whoever can write the archive can also forge a line here: the README says so.
/// </summary>
internal static class ArchivePurgeLog
{
    public const string FileName = ".purge-log.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task AppendAsync(string realRoot, PurgedEntry entry, CancellationToken cancellationToken)
    {
        var path = Path.Combine(realRoot, FileName);
        ArchiveFs.RefuseLink(path);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        await stream.WriteAsync(line, cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Every readable line; a line that is not one is reported, never silently dropped.</summary>
    public static async Task<(List<PurgedEntry> Entries, List<ArchiveProblem> Problems)> ReadAsync(string? realRoot, CancellationToken cancellationToken)
    {
        var entries = new List<PurgedEntry>();
        var problems = new List<ArchiveProblem>();
        if (realRoot is null)
        {
            return (entries, problems);
        }

        var path = Path.Combine(realRoot, FileName);
        if (ArchiveFs.IsLink(path))
        {
            problems.Add(new ArchiveProblem(null, FileName, null, ArchiveProblemKind.Link, "is a symbolic link; not followed"));
            return (entries, problems);
        }

        if (!File.Exists(path))
        {
            return (entries, problems);
        }

        var number = 0;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            try
            {
                if (JsonSerializer.Deserialize<PurgedEntry>(line, Json) is { Path: not null, Subscription: not null, EntrySha256: not null } e)
                {
                    entries.Add(e);
                    continue;
                }
            }
            catch (JsonException)
            {
                // Reported below, with every other unusable line.
            }

            problems.Add(new ArchiveProblem(null, FileName, null, ArchiveProblemKind.BadManifest, $"line {number} is not a purge record"));
        }

        return (entries, problems);
    }
}
