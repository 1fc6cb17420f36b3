using System.Diagnostics;
using System.Text;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cluster;

/// <summary>
/// One real <c>serve</c> process (<c>dotnet CarrierReports.dll serve</c>) with its own settings in environment
/// variables. Its output is kept for failure messages. Disposing kills it (and anything it started).
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    /// <summary>Settings of ours a developer's shell might carry; removed so only the test's values apply.</summary>
    private static readonly string[] OwnSections = ["CdrSource__", "Database__", "Scheduling__", "Mail__", "Subscriptions__", "SubscriptionSources__", "Archive__", "TestFaults__", "Carriers__", "Web__", "Health__", "Kestrel__", "ASPNETCORE_URLS"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// The first address the web host listens on, read from its start-up line ("Web console and API on ..."): the
    /// harness gives every node port 0, so the kernel picks a free port and nodes never clash.
    /// </summary>
    public async Task<Uri> WebUrlAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var m = System.Text.RegularExpressions.Regex.Match(Output, @"Web console and API on (http://[^\s,]+)");
            if (m.Success)
            {
                return new Uri(m.Groups[1].Value);
            }

            Assert.False(HasExited, $"node {Name} exited before its web host started\n{Output}");
            await Task.Delay(100);
        }

        Assert.Fail($"node {Name} did not log its web address\n{Output}");
        return null!;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"node {Name} was still running after {timeout.TotalSeconds:0} s\n{Output}");
        }

        return _process.ExitCode;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static NodeProcess Start(string name, IReadOnlyDictionary<string, string?> settings, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(AppProcess.AppDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var key in psi.Environment.Keys.Where(k => OwnSections.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var (k, v) in settings)
        {
            psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        psi.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        var process = new Process { StartInfo = psi };
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        StartWatchdog(process.Id);
        return node;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed machine from the database's point of view.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, as a service manager stops a node: it finishes running jobs and exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"node {Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM\n{Output}");
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    /// <summary>
    /// Dispose kills the node when a test fails; this covers the test host itself dying (a crash, a killed test run):
    /// a small shell loop that SIGKILLs the node once the test process is gone, and ends when the node does.
    /// </summary>
    private static void StartWatchdog(int nodePid)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {nodePid} 2>/dev/null; do sleep 1; done; kill -9 {nodePid} 2>/dev/null; true";
        using var watchdog = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { UseShellExecute = false });
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(Name).Append(" | ").AppendLine(line);
        }
    }
}
