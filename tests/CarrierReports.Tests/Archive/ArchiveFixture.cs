using System.Text;
using CarrierReports.Archive;
using CarrierReports.Rendering;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Archive;

/// <summary>
/// A throw-away archive root (inside its own parent folder, so escapes would be visible), a fake clock, and a real
/// SQLite service database holding the run ledger, written the way the runner writes it.
/// </summary>
internal sealed class TempArchive : IDisposable
{
    private readonly TempFolder _parent = new("carrierreports-archive-");
    private IHost? _host;

    /// <param name="root">The archive root's name under the parent folder (it may be made a link by a test).</param>
    public TempArchive(string root = "archive")
    {
        Root = Path.Combine(Parent, root);
        Store = new ArchiveStore(Options.Create(new ArchiveOptions { Root = Root }), Clock, NullLogger<ArchiveStore>.Instance);
    }

    public string Parent => _parent.Path;
    public string Root { get; }

    /// <summary>The settings a CLI run against this archive and its ledger needs.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Archive:Root"] = Root,
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(Parent, "ledger.db")}",
    };

    /// <summary>The application's own services over <see cref="Settings"/> (run ledger, service database).</summary>
    public IServiceProvider Services => (_host ??= Build()).Services;

    private IHost Build()
    {
        var builder = AppHost.CreateBuilder(null, Settings, LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        return builder.Build();
    }

    /// <summary>Stores the files and records them in the ledger exactly as the runner does after a successful store.</summary>
    public async Task<ArchiveStoreResult> StoreAndRecordAsync(ArchiveRun run, Artifact[] files)
    {
        var stored = await Store.StoreAsync(run, files, CancellationToken.None);
        await Services.GetRequiredService<RunLedger>().AddArtifactsAsync(
            files.Select(a => new ArtifactRecord(run.RunId, a.FileName, a.Format, a.Length, a.Sha256, stored.Entry.Id, stored.Entry.Path + "/" + a.FileName)),
            CancellationToken.None);
        return stored;
    }

    /// <summary>What the ledger holds about archived files, read by the application's own reader.</summary>
    public Task<IReadOnlyList<LedgerFile>> LedgerAsync() => Services.GetRequiredService<ArchivedArtifacts>().ListAsync(CancellationToken.None);

    /// <summary>Runs SQL against the ledger database, as someone with database access could.</summary>
    public async Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Services.GetRequiredService<ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            ServiceDatabase.Add(cmd, name, value);
        }

        await cmd.ExecuteNonQueryAsync();
    }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));
    public ArchiveStore Store { get; }

    public static ArchiveRun Run(string carrier = "544", string subscription = "monthly-acme", int year = 2026, int month = 10) => new(
        RunId: "run-" + Guid.NewGuid().ToString("N")[..8],
        Subscription: subscription,
        Carrier: carrier,
        Range: "previous-month",
        TimeZone: "Europe/London",
        UtcFrom: new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).AddHours(month is >= 4 and <= 10 ? -1 : 0),
        UtcTo: new DateTimeOffset(year, month + 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(month + 1 is >= 4 and <= 10 ? -1 : 0),
        Bucket: "day",
        Formats: ["csv", "pdf"],
        GeneratedAt: new DateTimeOffset(year, month + 1, 1, 6, 0, 0, TimeSpan.Zero));

    public static Artifact[] Files(string tag = "a") =>
    [
        new("csv", "asr-per-route_544.csv", "text/csv", Encoding.UTF8.GetBytes($"route,attempts\r\nFR-Mobile,{tag}\r\n")),
        new("pdf", "asr-per-route_544.pdf", "application/pdf", Encoding.ASCII.GetBytes($"%PDF-1.7 {tag} {new string('x', 5000)}")),
    ];

    /// <summary>Runs <c>archive ...</c> through the real CLI against this archive and ledger.</summary>
    public async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CarrierReports.CliApp.RunAsync(["archive", .. args], stdout, stderr, Settings, services => services.AddSingleton<TimeProvider>(Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>SHA-256 of bytes, lower-case hex (computed here, independently of the code under test).</summary>
    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>Rewrites an entry's manifest as someone with write access to the archive could (read-only bit removed first).</summary>
    public static void EditManifest(string entryFolder, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var path = Path.Combine(entryFolder, ArchiveStore.ManifestName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        WriteOver(path, Encoding.UTF8.GetBytes(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>Replaces a read-only archived file's content.</summary>
    public static void WriteOver(string path, byte[] content)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        File.WriteAllBytes(path, content);
    }

    /// <summary>Every file anywhere under the parent folder, relative to it.</summary>
    public List<string> AllFiles() => [.. Directory.EnumerateFiles(Parent, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Parent, f))];

    public void Dispose()
    {
        _host?.Dispose();
        _parent.Dispose();
    }
}
