using System.Security.Cryptography;

namespace CarrierReports.Rendering;

/// <summary>
/// One rendered document. Reports are kept in a file of their run's <see cref="ArtifactFolder"/>, so memory does not
/// grow with the file: the archive, the mail and the downloads all read it through <see cref="OpenRead"/>. Small
/// documents made in memory (the manifest, test data) keep their bytes. Length and SHA-256 are fixed when the
/// artifact is made, so the same bytes are hashed, archived and mailed.
/// </summary>
public sealed class Artifact
{
    private readonly byte[]? _bytes;
    private readonly string? _path;

    /// <summary>A document held in memory; for small files only.</summary>
    public Artifact(string format, string fileName, string contentType, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        (Format, FileName, ContentType) = (format, fileName, contentType);
        _bytes = content;
        Length = content.LongLength;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private Artifact(string format, string fileName, string contentType, string path, long length, string sha256)
    {
        (Format, FileName, ContentType) = (format, fileName, contentType);
        _path = path;
        Length = length;
        Sha256 = sha256;
    }

    public string Format { get; }

    public string FileName { get; }

    public string ContentType { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Sha256 { get; }

    /// <summary>A new read-only stream over the content, positioned at its start; the caller disposes it.</summary>
    public Stream OpenRead() => _path is null
        ? new MemoryStream(_bytes!, writable: false)
        : new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// The artifact of a finished file: its size from the file system and its SHA-256 by streaming it (the bytes are
    /// read back from the page cache, never held whole).
    /// </summary>
    internal static async Task<Artifact> FromFileAsync(string format, string fileName, string contentType, string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        return new Artifact(format, fileName, contentType, path, stream.Length, sha);
    }
}
