using System.Text;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Cluster;

/// <summary>
/// One real <c>serve</c> node (an <see cref="AppProcess"/>) with its own settings. Its output, each line prefixed with
/// the node's name and a timestamp, is kept for failure messages. Disposing kills it (and anything it started).
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private AppProcess _app = null!;

    private NodeProcess(string name) => Name = name;

    public string Name { get; }

    public int Pid => _app.Id;

    public bool HasExited => _app.HasExited;

    public int ExitCode => _app.ExitCode;

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
            await _app.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"node {Name} was still running after {timeout.TotalSeconds:0} s\n{Output}");
        }

        return _app.ExitCode;
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
        var node = new NodeProcess(name);
        var withLogFormat = new Dictionary<string, string?>(settings)
        {
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            // Becomes the environment variable itself: the nodes may honour a TestFaults section.
            [global::CarrierReports.Runs.TestFaultOptions.EnableVariable] = "1",
        };
        node._app = AppProcess.Start(withLogFormat, workingDirectory, (line, _) => node.Append(line), args);
        return node;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed machine from the database's point of view.</summary>
    public void Kill() => _app.Kill();

    /// <summary>SIGTERM, as a service manager stops a node: it finishes running jobs and exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!await _app.StopAsync(timeout))
        {
            Assert.Fail($"node {Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM\n{Output}");
        }
    }

    public void Dispose() => _app.Dispose();

    private void Append(string line)
    {
        lock (_output)
        {
            _output.Append(Name).Append(" | ").AppendLine(line);
        }
    }
}
