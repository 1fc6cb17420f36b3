using System.Diagnostics;
using System.Globalization;

namespace CarrierReports.Benchmarks;

/// <summary>One memory and CPU reading of a node process, from /proc.</summary>
/// <param name="AnonMb">RssAnon: private memory (heaps, stacks); the rest of RSS is mapped files such as the runtime's images.</param>
public sealed record NodeSample(double Seconds, double RssMb, double HwmMb, double AnonMb, int Threads, double CpuSeconds);

/// <summary>
/// A real <c>serve</c> process (the built CarrierReports.dll under <c>dotnet</c>), its output in a log file, sampled
/// from /proc for resident memory and CPU time.
/// </summary>
public sealed class ServeNode : IAsyncDisposable
{
    private static readonly double ClockTicks = 100.0; // USER_HZ; 100 on every Linux this runs on
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private readonly List<NodeSample> _samples = [];

    private ServeNode(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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
    public static ServeNode Start(string name, string app, string settings, string workDir, string logFile)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { app, "serve", "--config", settings })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Scheduling__NodeName"] = name;
        // Every serve runs a web host; port 0 so several nodes on one machine do not clash over the default 8080.
        psi.Environment["Web__Urls"] = "http://127.0.0.1:0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var node = new ServeNode(name, process, new StreamWriter(logFile) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => node.Line(e.Data);
        process.ErrorDataReceived += (_, e) => node.Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => node._ready.TrySetException(new InvalidOperationException($"{name} exited with {process.ExitCode} before it was ready; see {logFile}"));
        return node;
    }

    /// <summary>Completes when the host logs that it has started (Quartz and every job are scheduled by then).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Reads /proc/&lt;pid&gt;/status and /stat once; <paramref name="seconds"/> is the benchmark's clock.</summary>
    public NodeSample? Sample(double seconds)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{_process.Id}/status");
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
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
        if (!_process.HasExited)
        {
            // .NET can only kill; SIGTERM lets the host stop Quartz and finish its runs the way production does.
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await term!.WaitForExitAsync(CancellationToken.None);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        _process.Dispose();
        lock (_sync)
        {
            _log.Dispose();
        }
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

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
