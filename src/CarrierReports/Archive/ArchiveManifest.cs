using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CarrierReports.Archive;

/// <summary>An entry read from its folder, with the hash of its manifest bytes (its link in the subscription's chain).</summary>
internal sealed record ScannedEntry(ArchiveEntry Entry, string FullPath, string EntrySha256);

/// <summary>
/// Reads and writes <c>archive-entry.json</c>. Everything read is treated as hostile: the JSON must bind to the entry's
/// shape with no missing or null field, and every file name must be a plain name, so no later step can be led out of
/// the entry folder by it.
/// </summary>
internal static class ArchiveManifest
{
    /// <summary>A manifest is a few kilobytes; anything far larger is not one of ours and is not read into memory.</summary>
    private const long MaxBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static byte[] Serialize(ArchiveEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, Json);

    /// <summary>The entry hash: SHA-256 over the exact manifest bytes, lower-case hex.</summary>
    public static string Hash(byte[] manifestBytes) => Convert.ToHexStringLower(SHA256.HashData(manifestBytes));

    /// <summary>The entry in <paramref name="folder"/>, or the problem that makes it unreadable.</summary>
    public static async Task<(ScannedEntry? Entry, ArchiveProblem? Problem)> ReadAsync(string folder, string relative, CancellationToken cancellationToken)
    {
        var id = ArchivePaths.EntryId(relative);
        var path = Path.Combine(folder, ArchiveStore.ManifestName);
        var file = new FileInfo(path);
        if (file.LinkTarget is { } target)
        {
            return (null, new ArchiveProblem(id, relative, ArchiveStore.ManifestName, ArchiveProblemKind.Link, $"is a symbolic link (to '{target}'); not followed"));
        }

        if (!file.Exists)
        {
            return (null, new ArchiveProblem(id, relative, null, ArchiveProblemKind.NoManifest, $"has no {ArchiveStore.ManifestName}"));
        }

        if (file.Length > MaxBytes)
        {
            return (null, Bad(id, relative, $"is {file.Length:N0} bytes; a manifest is at most {MaxBytes:N0}"));
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        ArchiveEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<ArchiveEntry>(bytes, Json);
        }
        catch (JsonException ex)
        {
            return (null, Bad(id, relative, $"is not a valid manifest: {ex.Message}"));
        }

        var error = entry is null ? "it is JSON null" : Validate(entry);
        if (entry is null || error is not null)
        {
            return (null, Bad(id, relative, $"is not a valid manifest: {error}"));
        }

        // The id follows the folder the entry is really in, so a lookup always leads to where the files are.
        return (new ScannedEntry(entry with { Id = id, Path = relative }, folder, Hash(bytes)), null);
    }

    private static ArchiveProblem Bad(string id, string relative, string detail) =>
        new(id, relative, ArchiveStore.ManifestName, ArchiveProblemKind.BadManifest, detail);

    /// <summary>The first field that is not acceptable, named as in the JSON, with the reason; null when all are.</summary>
    private static string? Validate(ArchiveEntry entry)
    {
        if (entry.Revision < 1)
        {
            return $"revision: {entry.Revision} is not 1 or more";
        }

        if (entry.Files.Count == 0)
        {
            return "files: is empty";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entry.Files.Count; i++)
        {
            var f = entry.Files[i];
            if (f is null)
            {
                return $"files[{i}]: is null";
            }

            if (ArchivePaths.PlainFileNameError(f.FileName) is { } nameError)
            {
                return $"files[{i}].fileName: {nameError}";
            }

            if (string.Equals(f.FileName, ArchiveStore.ManifestName, StringComparison.OrdinalIgnoreCase) || !seen.Add(f.FileName))
            {
                return $"files[{i}].fileName: '{f.FileName}' is the manifest's own name or is listed twice";
            }

            if (!ArchivePaths.IsSha256(f.Sha256) || f.Bytes < 0)
            {
                return $"files[{i}]: sha256 must be 64 lower-case hex digits and bytes 0 or more";
            }
        }

        return ValidateChain(entry);
    }

    private static string? ValidateChain(ArchiveEntry entry)
    {
        if (entry.ChainSequence is null && entry.PreviousEntrySha256 is null)
        {
            return null;
        }

        if (entry.ChainSequence is not >= 1)
        {
            return $"chainSequence: '{entry.ChainSequence}' is not a number 1 or more (it must come with previousEntrySha256)";
        }

        return ArchivePaths.IsSha256(entry.PreviousEntrySha256)
            ? null
            : $"previousEntrySha256: '{ArchivePaths.Printable(entry.PreviousEntrySha256 ?? "")}' is not 64 lower-case hex digits";
    }
}
