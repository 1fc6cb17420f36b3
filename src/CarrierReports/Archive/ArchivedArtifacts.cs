using CarrierReports.Storage;

namespace CarrierReports.Archive;

/// <summary>
/// Reads what the run ledger recorded about archived files (<c>cr_run_artifacts</c>: each file's size, SHA-256 and
/// archive location, written at delivery), for <c>archive verify</c> to compare the archive against. Read-only. It sits
/// with the archive rather than the ledger so that the archive never depends on the runs feature (the runner uses the archive).
/// </summary>
public sealed class ArchivedArtifacts(ServiceDatabase database)
{
    /// <summary>Every artifact row with an archive location, by location.</summary>
    public async Task<IReadOnlyList<LedgerFile>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT run_id, archive_path, file_name, bytes, sha256 FROM cr_run_artifacts
            WHERE archive_path IS NOT NULL
            ORDER BY archive_path, run_id
            """;
        var files = new List<LedgerFile>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // archive_path is "{entry folder}/{file_name}", as the runner wrote it from the stored entry.
            var location = reader.GetString(1);
            var fileName = reader.GetString(2);
            var entryPath = location.EndsWith("/" + fileName, StringComparison.Ordinal)
                ? location[..^(fileName.Length + 1)]
                : location[..Math.Max(location.LastIndexOf('/'), 0)];
            files.Add(new LedgerFile(reader.GetString(0), entryPath, fileName, reader.GetInt64(3), reader.GetString(4)));
        }

        return files;
    }
}
