using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>
/// <c>process --app DIR [--rows N] [--runs N]</c>: the whole <c>report</c> process of a published build (the largest
/// carrier's March, daily, Europe/London) against PostgreSQL with N synthetic CDRs, for <c>--format csv</c> and
/// <c>--format pdf,xlsx,csv</c>: wall time, CPU time of the process, and the time from process start to its first SQL
/// statement, read from the server log (<c>log_statement = all</c>, millisecond timestamps). Give a second build as
/// <c>--app</c> again to measure both side by side, alternating.
/// </summary>
public static class ProcessBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var apps = new List<string>();
        long rows = 10_000_000;
        var runs = 7;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--app": apps.Add(Path.GetFullPath(args[i + 1])); break;
                case "--rows": rows = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new InputException(args[i], "unknown option; use --app DIR (repeatable), --rows N, --runs N");
            }
        }

        if (apps.Count == 0 || apps.Any(a => !File.Exists(Path.Combine(a, "CarrierReports"))))
        {
            throw new InputException("--app", "give the folder of a published build (dotnet publish src/CarrierReports -c Release -o DIR)");
        }

        await using var cluster = await PostgresCluster.StartAsync(cancellationToken);
        var connection = await cluster.CreateDatabaseAsync("carrierreports_bench", cancellationToken);
        await using var db = new NpgsqlDataSourceBuilder(connection).Build();
        var seconds = await SyntheticCdrs.EnsureAsync(db, "cdr_bench", rows, cancellationToken);
        await using (var cmd = db.CreateCommand("ALTER DATABASE carrierreports_bench SET log_statement = 'all'"))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        var work = Directory.CreateTempSubdirectory("cr-process-bench-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "appsettings.json"), JsonSerializer.Serialize(new
            {
                CdrSource = new { Provider = "Postgres", ConnectionString = connection, Table = "cdr_bench" },
            }), cancellationToken);
            var log = Path.Combine(Path.GetDirectoryName(cluster.DataDirectory)!, "log");
            Console.WriteLine($"# Whole report process, {rows:N0} CDRs (generated in {seconds:0} s), {runs} runs per case after 1 discarded, builds alternating");
            Console.WriteLine();
            Console.WriteLine("| build | formats | median wall ms | min wall ms | median first SQL ms | min first SQL ms | median CPU ms |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var formats in new[] { "csv", "pdf,xlsx,csv" })
            {
                var samples = apps.Select(_ => new List<(double Wall, double FirstSql, double Cpu)>()).ToArray();
                for (var round = 0; round <= runs; round++)
                {
                    for (var a = 0; a < apps.Count; a++)
                    {
                        var sample = await RunOnceAsync(apps[a], work.FullName, formats, log, cancellationToken);
                        if (round > 0)
                        {
                            samples[a].Add(sample);
                        }
                    }
                }

                for (var a = 0; a < apps.Count; a++)
                {
                    var s = samples[a];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {apps[a]} | {formats} | {Median(s.Select(x => x.Wall)):N0} | {s.Min(x => x.Wall):N0} | {Median(s.Select(x => x.FirstSql)):N0} | {s.Min(x => x.FirstSql):N0} | {Median(s.Select(x => x.Cpu)):N0} |"));
                }
            }

            var facts = await MachineFacts.ReadAsync(db, cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"Machine: {facts.Cpu}, {facts.Cores} cores; {facts.Dotnet}; {facts.Postgres}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<(double Wall, double FirstSql, double Cpu)> RunOnceAsync(string app, string work, string formats, string log, CancellationToken cancellationToken)
    {
        var logStart = new FileInfo(log).Length;
        // CPU time through GNU time: .NET cannot read an exited child's CPU time on Linux.
        var cpuFile = Path.Combine(work, "cpu.txt");
        var psi = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "%U %S", "-o", cpuFile, Path.Combine(app, "CarrierReports"), "report", "--carrier", "500", "--from", "2026-03-01", "--to", "2026-04-01", "--tz", "Europe/London", "--format", formats, "--out", "out" })
        {
            psi.ArgumentList.Add(a);
        }

        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var wall = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"report exited with {process.ExitCode}: {await stderr}");
        }

        var times = (await File.ReadAllTextAsync(cpuFile, cancellationToken)).Trim().Split(' ');
        var cpu = (double.Parse(times[0], CultureInfo.InvariantCulture) + double.Parse(times[1], CultureInfo.InvariantCulture)) * 1000;
        await Task.Delay(100, cancellationToken);
        return (wall, (FirstStatement(log, logStart) - started).TotalMilliseconds, cpu);
    }

    /// <summary>The timestamp of the first statement logged after <paramref name="offset"/> (log_line_prefix starts with %m).</summary>
    private static DateTimeOffset FirstStatement(string log, long offset)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("LOG:  statement:", StringComparison.Ordinal) || line.Contains("LOG:  execute", StringComparison.Ordinal))
            {
                return DateTimeOffset.ParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            }
        }

        throw new InvalidOperationException("no statement in the server log: is log_line_prefix '%m ...' (the default)?");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
