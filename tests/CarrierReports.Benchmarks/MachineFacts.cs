using System.Globalization;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>What the figures were measured on, read from /proc and the server.</summary>
public sealed record MachineFacts(int Cores, string Cpu, string Ram, string Os, string Dotnet, string Postgres, string PostgresSettings)
{
    public static async Task<MachineFacts> ReadAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var cpu = ProcLine("/proc/cpuinfo", "model name") ?? "unknown";
        var memKb = ProcLine("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var ram = long.TryParse(memKb, NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? $"{kb / 1024.0 / 1024.0:0.0} GiB"
            : "unknown";
        await using var cmd = db.CreateCommand("""
            SELECT current_setting('server_version'),
                   format('shared_buffers=%s, work_mem=%s, max_parallel_workers_per_gather=%s, jit=%s',
                          current_setting('shared_buffers'), current_setting('work_mem'),
                          current_setting('max_parallel_workers_per_gather'), current_setting('jit'))
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MachineFacts(
            Environment.ProcessorCount,
            cpu,
            ram,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            "PostgreSQL " + reader.GetString(0),
            reader.GetString(1));
    }

    private static string? ProcLine(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
