using System.Security.Cryptography;

namespace CarrierReports.Archive;

/// <summary>
/// Copies an entry out for <c>archive get</c>. Each file is streamed into a new temporary file in the output folder
/// while its SHA-256 is computed; only when every file matched its manifest are the temporary files renamed to their
/// names. On any mismatch every temporary file is deleted, so no partial or unchecked file is ever left behind.
/// </summary>
internal static class ArchiveExporter
{
    public static async Task<ArchiveExportResult> ExportAsync(ScannedEntry scanned, string outDir, bool force, CancellationToken cancellationToken)
    {
        var entry = scanned.Entry;
        var manifestName = $"{entry.Id}.{ArchiveStore.ManifestName}";
        var names = entry.Files.Select(f => f.FileName).Append(manifestName).ToList();
        var createdOut = !Directory.Exists(outDir);
        var realOut = PrepareOut(outDir, names, force);
        var temps = new List<(string Temp, string Final)>();
        var problems = new List<ArchiveProblem>();
        try
        {
            foreach (var file in entry.Files)
            {
                var (temp, problem) = await CopyCheckedAsync(scanned, file, realOut, cancellationToken);
                if (temp is not null)
                {
                    temps.Add((temp, Path.Combine(realOut, file.FileName)));
                }

                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }

            if (problems.Count > 0)
            {
                return new ArchiveExportResult(entry, [], problems);
            }

            // The manifest was hashed into the chain when it was read; a copy of the same path is what auditors compare.
            var (manifestTemp, _, _) = await CopyAsync(Path.Combine(scanned.FullPath, ArchiveStore.ManifestName), realOut, cancellationToken);
            temps.Add((manifestTemp, Path.Combine(realOut, manifestName)));
            foreach (var (temp, final) in temps)
            {
                // rename(2) replaces a directory entry; it never writes through a link that sits at the target.
                File.Move(temp, final, overwrite: force);
            }

            var written = temps.Select(t => t.Final).ToList();
            temps.Clear();
            return new ArchiveExportResult(entry, written, []);
        }
        finally
        {
            foreach (var (temp, _) in temps)
            {
                File.Delete(temp);
            }

            if (createdOut && problems.Count > 0 && Directory.Exists(realOut) && !Directory.EnumerateFileSystemEntries(realOut).Any())
            {
                Directory.Delete(realOut);
            }
        }
    }

    /// <summary>Creates the output folder, resolves it to its real path and refuses to replace anything unless forced.</summary>
    private static string PrepareOut(string outDir, List<string> names, bool force)
    {
        string realOut;
        try
        {
            Directory.CreateDirectory(outDir);
            realOut = ArchiveFs.RealPath(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException("--out", $"cannot create folder '{outDir}': {ex.Message}", ex);
        }

        foreach (var name in names)
        {
            var target = Path.Combine(realOut, name);
            if (Path.GetDirectoryName(target) != Path.TrimEndingDirectorySeparator(realOut))
            {
                throw new InvalidDataException($"'{name}' would be written outside '{realOut}'; refused");
            }

            if (Directory.Exists(target) && !ArchiveFs.IsLink(target))
            {
                throw new InputException("--out", $"'{target}' is a folder; the file '{name}' cannot replace it");
            }

            if (!force && ArchiveFs.Exists(target))
            {
                throw new InputException("--out", $"'{target}' already exists; nothing was copied (use --force to replace it)");
            }
        }

        return realOut;
    }

    private static async Task<(string? Temp, ArchiveProblem? Problem)> CopyCheckedAsync(ScannedEntry scanned, ArchivedFile file, string realOut, CancellationToken cancellationToken)
    {
        var entry = scanned.Entry;
        var source = Path.Combine(scanned.FullPath, file.FileName);
        if (new FileInfo(source).LinkTarget is { } target)
        {
            return (null, ArchiveVerifier.Problem(entry, file.FileName, ArchiveProblemKind.Link, $"is a symbolic link (to '{target}'); not followed"));
        }

        if (!File.Exists(source))
        {
            return (null, ArchiveVerifier.Problem(entry, file.FileName, ArchiveProblemKind.Missing, "is listed in the manifest but not in the archive"));
        }

        var (temp, bytes, sha) = await CopyAsync(source, realOut, cancellationToken);
        return bytes == file.Bytes && sha == file.Sha256
            ? (temp, null)
            : (temp, ArchiveVerifier.Changed(entry, file, bytes, sha));
    }

    /// <summary>Streams <paramref name="source"/> into a new temporary file in <paramref name="folder"/>, hashing what it copies.</summary>
    private static async Task<(string Temp, long Bytes, string Sha256)> CopyAsync(string source, string folder, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long bytes = 0;
            await using var input = ArchiveVerifier.OpenRead(source);
            // CreateNew: a fresh name that nothing (not even a planted link) can already occupy.
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true);
            var buffer = new byte[81_920];
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                bytes += read;
            }

            output.Flush(flushToDisk: true);
            return (temp, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
