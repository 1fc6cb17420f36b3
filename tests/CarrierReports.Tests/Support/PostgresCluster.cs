using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CarrierReports.Tests.Support;

/// <summary>
/// A private, throwaway PostgreSQL cluster: <c>initdb</c> into a temp folder, started on a free loopback port, stopped
/// and deleted on dispose. Uses Debian's server binaries (<c>/usr/lib/postgresql/N/bin</c>, newest N, or
/// <c>CARRIERREPORTS_PG_BIN</c>); as root it runs them as the <c>postgres</c> user, because initdb refuses root.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string dir, string bin, int port, bool asPostgresUser)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_dir, "data");

    /// <summary>Connection string for a database of this cluster (superuser <c>postgres</c>, trust auth).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 20 }.ConnectionString;

    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBin();
        var dir = Path.Combine(Path.GetTempPath(), "carrierreports-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres", dir], null, cancellationToken);
        }

        var port = FreePort();
        var cluster = new PostgresCluster(dir, bin, port, asPostgres);
        try
        {
            await cluster.PgAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C"], cancellationToken);
            await cluster.StartServerAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again); used by tests that restart PostgreSQL under a running service.</summary>
    public Task StartServerAsync(CancellationToken cancellationToken = default) =>
        PgAsync("pg_ctl", ["-D", DataDirectory, "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "start"], cancellationToken);

    public Task StopServerAsync(CancellationToken cancellationToken = default) =>
        PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);

    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                NpgsqlConnection.ClearAllPools();
                await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is not worth failing a test run for.
            }
        }
    }

    private Task PgAsync(string tool, string[] args, CancellationToken cancellationToken)
    {
        var exe = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args], _dir, cancellationToken)
            : RunAsync(exe, args, _dir, cancellationToken);
    }

    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("CARRIERREPORTS_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), out var v), Version: v))
                .Where(x => x.Ok && File.Exists(Path.Combine(x.Dir, "bin", "initdb")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them with 'apt-get install -y postgresql' (the README test command does this) or set CARRIERREPORTS_PG_BIN.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, string? workingDirectory, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr} {await stdout}");
        }
    }
}
