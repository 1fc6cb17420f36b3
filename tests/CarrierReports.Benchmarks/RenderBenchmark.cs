using System.Diagnostics;
using System.Globalization;
using CarrierReports.Cdr;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Rendering.Xlsx;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;
using CarrierReports.Time;

namespace CarrierReports.Benchmarks;

/// <summary>
/// <c>render</c>: PDF and XLSX rendering of a 40-route month, daily (1,240 rows) and hourly (29,760 rows, July 2026, no
/// DST change), each format and size in a process of its own so peak memory belongs to that case alone.
/// </summary>
public static class RenderBenchmark
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- render [--runs N]
          Runs the four cases (pdf/xlsx × day/hour) each in its own child process and prints a Markdown table:
          median and min warm time over N runs (default 7, after 2 discarded) and the process's peak RSS (VmHWM).
        """;

    public static async Task<int> RunAllAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {Cpu()}");
        Console.WriteLine();
        Console.WriteLine("| format | bucket | rows | file size | median ms | min ms | peak RSS MB |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var format in new[] { "pdf", "xlsx" })
        {
            foreach (var bucket in new[] { "day", "hour" })
            {
                var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
                if (!Environment.ProcessPath!.EndsWith("CarrierReports.Benchmarks", StringComparison.Ordinal))
                {
                    psi.ArgumentList.Add(typeof(RenderBenchmark).Assembly.Location);
                }

                foreach (var a in new[] { "render-case", format, bucket, runs.ToString(CultureInfo.InvariantCulture) })
                {
                    psi.ArgumentList.Add(a);
                }

                using var child = Process.Start(psi)!;
                var line = await child.StandardOutput.ReadToEndAsync(cancellationToken);
                await child.WaitForExitAsync(cancellationToken);
                if (child.ExitCode != 0)
                {
                    Console.Error.WriteLine($"case {format}/{bucket} failed: {line}");
                    return 1;
                }

                Console.Write(line);
            }
        }

        return 0;
    }

    /// <summary>One case, in this process: prints one Markdown row.</summary>
    public static async Task<int> RunCaseAsync(string format, string bucketName, int runs, CancellationToken cancellationToken)
    {
        var bucket = BucketSizes.Parse(bucketName, "bucket");
        var report = Report(bucket, routes: 40);
        var templates = new TemplateRenderer(TimeProvider.System);
        var options = new RenderOptions();
        options = options with { Texts = templates.RenderReportTexts(report, options, cancellationToken) };
        IReportRenderer renderer = format == "pdf" ? new PdfReportRenderer() : new XlsxReportRenderer();

        var times = new List<double>();
        long size = 0;
        for (var i = 0; i < runs + 2; i++)
        {
            using var output = new MemoryStream();
            var sw = Stopwatch.StartNew();
            await renderer.RenderAsync(report, options, output, cancellationToken);
            sw.Stop();
            size = output.Length;
            if (i >= 2)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {format} | {bucketName} | {report.Rows.Count:N0} | {size / 1024.0:N0} KB | {times[times.Count / 2]:N0} | {times[0]:N0} | {PeakRssMb():N0} |"));
        return 0;
    }

    /// <summary>A July 2026 month (31 days, no DST change) for <paramref name="routes"/> routes with varied, seeded traffic.</summary>
    internal static AsrPerRouteReport Report(BucketSize bucket, int routes)
    {
        var zone = Zones.Find("Europe/London", "zone");
        var period = RangeExpression.Resolve("2026-07-01..2026-08-01", zone, DateTimeOffset.UnixEpoch);
        var plan = BucketPlan.Create(zone, bucket, period.UtcFrom, period.UtcTo);
        var random = new Random(40);
        var sums = new List<PartialSum>();
        foreach (var b in plan.Buckets)
        {
            for (var r = 0; r < routes; r++)
            {
                var attempts = random.Next(bucket == BucketSize.Hour ? 120 : 2_500);
                var answered = (long)(attempts * (0.15 + (0.6 * r / routes)) * random.NextDouble() * 1.6);
                answered = Math.Min(answered, attempts);
                sums.Add(new PartialSum(b.Index, $"route-{r:00}", attempts, answered, answered * (60 + random.Next(240))));
            }
        }

        var request = new AsrPerRouteRequest("544", "Acme Telecom", period, bucket);
        return AsrPerRouteReport.Build(request, plan, sums, 0, "duration > 0", DateTimeOffset.UtcNow) with { PreviousTotal = new Metrics(1_000_000, 480_000, 80_000_000) };
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
}
