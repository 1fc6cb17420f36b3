using System.Buffers;
using System.Security.Cryptography;

namespace CarrierReports.Archive;

/// <summary>How the archive writes one file: created new, copied by stream, checked, flushed to disk, made read-only.</summary>
internal static class DurableFile
{
    /// <summary>
    /// Copies <paramref name="content"/> into a new file by stream (memory does not grow with the file), hashing what
    /// is written: if the source changed since its SHA-256 was taken, the entry is not stored. Then fsync and read-only.
    /// </summary>
    public static async Task WriteAsync(string path, Stream content, string? sha256, CancellationToken cancellationToken)
    {
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(81_920);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (sha256 is not null && Convert.ToHexStringLower(hash.GetHashAndReset()) != sha256)
            {
                throw new IOException($"'{Path.GetFileName(path)}' changed after it was rendered (its SHA-256 no longer matches); the entry is not stored");
            }

            stream.Flush(flushToDisk: true);
        }

        File.SetAttributes(path, FileAttributes.ReadOnly);
    }
}
