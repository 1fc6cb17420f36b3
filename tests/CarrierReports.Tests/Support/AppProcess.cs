using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CarrierReports.Tests.Support;

/// <summary>What a command printed and how it exited.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The built app as a real child process (<c>dotnet CarrierReports.dll ...</c>), for tests and benchmarks alike. Its
/// settings come only from the caller (our own sections are removed from the inherited environment), every output
/// line goes to a callback, and it never outlives the process that started it. Disposing kills it.
/// </summary>
public sealed class AppProcess : IDisposable
{
    /// <summary>Settings of ours a developer's shell might carry; removed so only the caller's values apply.</summary>
    private static readonly string[] OwnSections =
        ["CdrSource__", "Database__", "Scheduling__", "Mail__", "Subscriptions__", "SubscriptionSources__", "Archive__", "TestFaults__", "Carriers__", "Web__", "Health__", "Kestrel__", "ASPNETCORE_URLS", "Reports__", "Identity__", "Rollups__", "CARRIERREPORTS_ENABLE_TEST_FAULTS"];

    private readonly Process _process;

    private AppProcess(Process process) => _process = process;

    /// <summary>The app next to the running test or benchmark assembly (both reference the product project).</summary>
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "CarrierReports.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <param name="settings">Configuration keys (<c>Mail:Host</c>) or environment names (<c>Mail__Host</c>).</param>
    /// <param name="onLine">Called with each line and whether it came from standard error, on a pool thread.</param>
    public static AppProcess Start(IReadOnlyDictionary<string, string?> settings, string workingDirectory, Action<string, bool> onLine, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(AppDll);
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

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        StartWatchdog(process.Id);
        return new AppProcess(process);

        void Forward(string? line, bool isError)
        {
            if (line is not null)
            {
                onLine(line, isError);
            }
        }
    }

    /// <summary>Runs a command to its end (at most two minutes) and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory, params string[] args)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var app = Start(settings, workingDirectory, (line, isError) =>
        {
            var target = isError ? stderr : stdout;
            lock (target)
            {
                target.Append(line).Append('\n');
            }
        }, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Also waits for the end of both output streams, so nothing printed is missed.
        await app.WaitForExitAsync(timeout.Token);
        return new CliResult(app.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL to the process and its children: no shutdown code runs, like a crashed machine.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, as a service manager stops the app: the host finishes its work and exits.</summary>
    /// <returns>Whether it exited within <paramref name="timeout"/>.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        // .NET can only kill; SIGTERM lets the host stop the way production does.
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await term.WaitForExitAsync(CancellationToken.None);
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
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
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>
    /// Dispose kills the app when a test fails; this covers the starting process itself dying (a crash, a killed test
    /// run): a small shell loop that SIGKILLs the app once its starter is gone, and ends when the app does.
    /// </summary>
    private static void StartWatchdog(int pid)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {pid} 2>/dev/null; do sleep 1; done; kill -9 {pid} 2>/dev/null; true";
        using var watchdog = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { UseShellExecute = false });
    }
}
