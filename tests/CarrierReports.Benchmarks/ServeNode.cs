using System.Globalization;
using CarrierReports.Tests.Support;

namespace CarrierReports.Benchmarks;

/// <summary>One memory and CPU reading of a node process, from /proc.</summary>
/// <param name="AnonMb">RssAnon: private memory (heaps, stacks); the rest of RSS is mapped files such as the runtime's images.</param>
public sealed record NodeSample(double Seconds, double RssMb, double HwmMb, double AnonMb, int Threads, double CpuSeconds);

/// <summary>
/// A real <c>serve</c> node (an <see cref="AppProcess"/>), its output in a log file, sampled from /proc for resident
/// memory and CPU time.
/// </summary>
public sealed class ServeNode : IAsyncDisposable
{
    private static readonly double ClockTicks = 100.0; // USER_HZ; 100 on every Linux this runs on
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private readonly List<NodeSample> _samples = [];
    private AppProcess _app = null!;

    private ServeNode(string name, StreamWriter log)
    {
        Name = name;
        _log = log;
    }

    public string Name { get; }

    public int ProcessId => _app.Id;

    public bool HasExited => _app.HasExited;

    public IReadOnlyList<NodeSample> Samples
    {
        get
        {
            lock (_sync)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Starts <c>dotnet CarrierReports.dll serve --config settings</c> in <paramref name="workDir"/> with this node's name.</summary>
    public static ServeNode Start(string name, string settings, string workDir, string logFile)
    {
        var node = new ServeNode(name, new StreamWriter(logFile) { AutoFlush = true });
        node._app = AppProcess.Start(new Dictionary<string, string?> { ["Scheduling:NodeName"] = name, ["Web:Urls"] = "http://127.0.0.1:0" }, workDir, (line, _) => node.Line(line), "serve", "--config", settings);
        _ = node.FailReadyOnExitAsync(logFile);
        return node;
    }

    /// <summary>Completes when the host logs that it has started (Quartz and every job are scheduled by then).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Reads /proc/&lt;pid&gt;/status and /stat once; <paramref name="seconds"/> is the benchmark's clock.</summary>
    public NodeSample? Sample(double seconds)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{ProcessId}/status");
            var stat = File.ReadAllText($"/proc/{ProcessId}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicks;
            var sample = new NodeSample(seconds, Kb(status, "VmRSS") / 1024.0, Kb(status, "VmHWM") / 1024.0, Kb(status, "RssAnon") / 1024.0, (int)Kb(status, "Threads"), cpu);
            lock (_sync)
            {
                _samples.Add(sample);
            }

            return sample;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is gone.
            return null;
        }
    }

    /// <summary>SIGTERM (a clean host shutdown), then a kill if it has not exited within 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!await _app.StopAsync(TimeSpan.FromSeconds(20)))
        {
            _app.Kill();
        }

        _app.Dispose();
        lock (_sync)
        {
            _log.Dispose();
        }
    }

    private async Task FailReadyOnExitAsync(string logFile)
    {
        try
        {
            await _app.WaitForExitAsync(CancellationToken.None);
            _ready.TrySetException(new InvalidOperationException($"{Name} exited with {_app.ExitCode} before it was ready; see {logFile}"));
        }
        catch (InvalidOperationException)
        {
            // Disposed while waiting: the benchmark is over.
        }
    }

    private void Line(string line)
    {
        lock (_sync)
        {
            _log.WriteLine(line);
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static long Kb(string[] status, string field)
    {
        var line = status.FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        var kb = line?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }
}
