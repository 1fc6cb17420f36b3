namespace CarrierReports.Rendering;

/// <summary>
/// A private temporary folder for one run's files (<c>{temp}/carrierreports-{random}</c>, mode 0700 on Unix: the
/// reports carry traffic figures). Disposing it deletes the folder and every artifact in it, so whoever renders
/// disposes it once the files are archived, mailed or sent.
/// </summary>
public sealed class ArtifactFolder : IDisposable
{
    private int _next;

    private ArtifactFolder(string path) => Path = path;

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    public static ArtifactFolder Create()
    {
        // Directly in the temp folder, never under a shared fixed name another account could have created first.
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "carrierreports-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new ArtifactFolder(path);
    }

    /// <summary>
    /// Writes one document straight into a new file of this folder and returns it as an artifact. The file name is
    /// chosen here (a counter), never from the document's name, so no name can reach outside the folder.
    /// </summary>
    public async Task<Artifact> WriteAsync(string format, string fileName, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(Path, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".part");
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81_920, FileOptions.Asynchronous))
        {
            await write(stream, cancellationToken);
        }

        return await Artifact.FromFileAsync(format, fileName, contentType, path, cancellationToken);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (a second dispose, or a temp cleaner): nothing left to delete.
        }
    }
}
