using System.Diagnostics;
using System.Globalization;

namespace CarrierReports.Benchmarks;

/// <summary>What one URL is and how it is reached: with the API key, or with a signed-in session cookie (console pages).</summary>
public sealed record ProbeTarget(string Name, string Path, bool Session);

/// <summary>Latencies of one target, in milliseconds.</summary>
public sealed record ProbeResult(ProbeTarget Target, int Samples, double P50, double P95, double Max, long Bytes);

/// <summary>
/// Times requests one after another over real HTTP (no concurrency: the figure is what one user waits). The first
/// requests warm the JIT and the connection pools and are not counted; every answer must be 200.
/// </summary>
public static class LatencyProbe
{
    public const int WarmUp = 10;

    public static async Task<ProbeResult> MeasureAsync(HttpClient client, ProbeTarget target, int samples, CancellationToken cancellationToken)
    {
        var times = new List<double>(samples);
        long bytes = 0;
        for (var i = 0; i < WarmUp + samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(target.Path, UriKind.Relative), cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{target.Name}: GET {target.Path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
            }

            if (i >= WarmUp)
            {
                times.Add(elapsed);
                bytes = body.Length;
            }
        }

        return Summarise(target, times, bytes);
    }

    public static ProbeResult Summarise(ProbeTarget target, List<double> times, long bytes)
    {
        times.Sort();
        return new ProbeResult(target, times.Count, Percentile(times, 0.50), Percentile(times, 0.95), times[^1], bytes);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static void Print(IEnumerable<ProbeResult> results, double targetP95)
    {
        Console.WriteLine("| what | URL | auth | samples | p50 ms | p95 ms | max ms | body bytes | p95 target |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var target = r.Target.Session ? targetP95 * 2 : targetP95;
            var verdict = r.P95 <= target ? $"≤ {target:0} ms ok" : $"**over {target:0} ms**";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Target.Name} | `{Shorten(r.Target.Path)}` | {(r.Target.Session ? "cookie" : "key")} | {r.Samples} | {r.P50:0.0} | {r.P95:0.0} | {r.Max:0.0} | {r.Bytes:N0} | {verdict} |"));
        }
    }

    private static string Shorten(string path) => path.Length <= 70 ? path : path[..67] + "...";
}
