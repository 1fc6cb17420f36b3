using CarrierReports.Cli;

namespace CarrierReports.Tests.Support;

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
}
