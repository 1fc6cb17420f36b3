using CarrierReports.Cli;

namespace CarrierReports.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real command line in-process, with settings instead of environment variables.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, settings);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static Dictionary<string, string?> Postgres(string connectionString, string table = "cdr") => new()
    {
        ["CdrSource:Provider"] = "Postgres",
        ["CdrSource:ConnectionString"] = connectionString,
        ["CdrSource:Table"] = table,
    };

    public static Dictionary<string, string?> Sqlite(string connectionString) => new()
    {
        ["CdrSource:Provider"] = "Sqlite",
        ["CdrSource:ConnectionString"] = connectionString,
        ["CdrSource:Table"] = "cdr",
    };

    /// <summary>A fresh temp folder, deleted by the caller's using.</summary>
    public static TempFolder TempFolder() => new();
}

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("carrierreports-test-").FullName;

    public string[] Files(string pattern) => Directory.GetFiles(Path, pattern);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
