namespace CarrierReports.Tests.Support;

/// <summary>
/// A fresh folder in the temp directory, deleted with everything in it when disposed: the one way tests get scratch
/// space, so no test leaves folders behind. Read-only files (the archive writes them) are deleted too.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "carrierreports-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public string[] Files(string pattern) => Directory.GetFiles(Path, pattern);

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // A child process that was just killed may still be closing files; a second try covers that. A folder that
        // cannot be deleted fails the test rather than piling up in the temp directory unnoticed.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(Path, recursive: true);
                return;
            }
            catch (Exception ex) when (attempt < 3 && ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200 * attempt);
            }
        }
    }
}
