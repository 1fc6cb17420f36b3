using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CarrierReports.Tests.Archive;
using CarrierReports.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Everything a hostile input could damage, built once per test class: an archive with a stored entry, its SQLite run
/// ledger with a saved database subscription, and an SQLite CDR store. <see cref="Fingerprint"/> hashes all of it, so
/// a case can show that a refused input changed nothing that was stored.
/// </summary>
public sealed class HostileWorld : IAsyncLifetime
{
    private readonly TempArchive _archive = new();

    public string Parent => _archive.Parent;

    public string CdrPath => Path.Combine(Parent, "cdr.db");

    /// <summary>A scratch folder for the files a case writes (subscription JSON, templates, --out targets).</summary>
    public string Scratch => Path.Combine(Parent, "scratch");

    /// <summary>The entry stored at start, for <c>archive get</c> and manifest cases.</summary>
    public string EntryId { get; private set; } = "";

    public string EntryFolder { get; private set; } = "";

    public Dictionary<string, string?> Settings()
    {
        var s = _archive.Settings;
        s["CdrSource:Provider"] = "Sqlite";
        s["CdrSource:ConnectionString"] = $"Data Source={CdrPath};Pooling=False";
        s["CdrSource:Table"] = "cdr";
        s["Mail:From"] = "reports@carrier.example";
        s["Mail:PickupFolder"] = Path.Combine(Parent, "mail");
        s["SubscriptionSources:Folder"] = Path.Combine(Parent, "subscriptions");
        return s;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Scratch);
        await CdrTable.Default.LoadSqliteAsync(CdrPath, CdrTestData.Generate(perHour: 1));
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        EntryId = stored.Entry.Id;
        EntryFolder = stored.FullPath;
        var save = await CliAsync(null, "subscriptions", "save", "--file", WriteScratch("seed.json", JsonSerializer.Serialize(GoodSubscription("acme-daily"))));
        Assert.True(save.ExitCode == 0, save.Stderr);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _archive.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A valid subscription definition, as a JSON-able dictionary a case can spoil one field of.</summary>
    public static Dictionary<string, object?> GoodSubscription(string id) => new()
    {
        ["Id"] = id,
        ["Carrier"] = "1",
        ["Range"] = "previous-day",
        ["TimeZone"] = "Europe/London",
        ["Bucket"] = "hour",
        ["Cadence"] = "daily@06:00",
        ["Formats"] = new[] { "csv" },
        ["Recipients"] = new Dictionary<string, object?> { ["To"] = new[] { "noc@acme.example" } },
    };

    public string WriteScratch(string name, string content) => WriteScratch(name, Encoding.UTF8.GetBytes(content));

    public string WriteScratch(string name, byte[] content)
    {
        var path = Path.Combine(Scratch, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Runs the real CLI in-process with the world's settings, <paramref name="overrides"/> winning.</summary>
    public async Task<CliResult> CliAsync(IReadOnlyDictionary<string, string?>? overrides, params string[] args)
    {
        var settings = Settings();
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var result = await CliRunner.RunAsync(settings, args);
        SqliteConnection.ClearAllPools();
        return result;
    }

    /// <summary>
    /// SHA-256 over every archived file (path, bytes, read-only bit) and every row of every table of the ledger and CDR
    /// databases, read through SQLite itself so a change still in the write-ahead log is seen too.
    /// </summary>
    public string Fingerprint() => Fingerprint(Settings()["Archive:Root"]!, Path.Combine(Parent, "ledger.db"), CdrPath);

    /// <summary>The same over any archive root and SQLite databases.</summary>
    public static string Fingerprint(string root, params string[] databases)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(root, file)}|{File.GetAttributes(file)}|"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        foreach (var db in databases)
        {
            AppendRows(hash, db);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendRows(IncrementalHash hash, string db)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1, 2";
            using var reader = rows.ExecuteReader();
            hash.AppendData(Encoding.UTF8.GetBytes($"[{table}]"));
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes($"{reader.GetValue(i)}\u001f"));
                }
            }
        }
    }

    /// <summary>
    /// The contract of a refused input: exit <paramref name="code"/>, exactly <paramref name="lines"/> <c>error:</c>
    /// lines on stderr, each naming what was wrong (<paramref name="expected"/>), no stack trace, no raw exception type.
    /// </summary>
    public static void AssertRefused(CliResult result, string expected, int code = 2, int lines = 1)
    {
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(result.ExitCode == code, $"exit {result.ExitCode}, expected {code}; stderr: {result.Stderr}");
        Assert.True(errors.Length == lines, $"expected {lines} error line(s), got: {result.Stderr}");
        Assert.All(errors, l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("--verbose for the stack trace", result.Stderr, StringComparison.Ordinal);
    }
}
