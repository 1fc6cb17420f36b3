using System.Text;
using System.Text.Json.Nodes;
using CarrierReports.Archive;
using CarrierReports.Tests.Archive;

namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Issue 9, "Also": hostile <c>archive-entry.json</c> manifests. <c>archive get</c> refuses the entry with exit 1 (the
/// archive is damaged; the user's input was fine) and one <c>error:</c> line naming the manifest, the field and the
/// reason; <c>archive verify</c> reports it and exits 1; neither writes anything, in the archive or in <c>--out</c>.
/// </summary>
public sealed class HostileManifestTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    /// <summary>A JSON path in the manifest ("files.0.bytes"), its new raw JSON (null: removed), what the error must contain.</summary>
    public static TheoryData<string, string?, string> Edits => new()
    {
        { "files.0.sha256", "\"not-a-hash\"", "files[0]: sha256 must be 64 lower-case hex digits" },
        { "files.0.sha256", "\"" + new string('A', 64) + "\"", "files[0]: sha256 must be 64 lower-case hex digits" },
        { "files.0.sha256", "null", "is not a valid manifest" },
        { "files.0.sha256", null, "is not a valid manifest" },
        { "files.0.bytes", "-1", "bytes 0 or more" },
        { "files.0.bytes", "\"twelve\"", "is not a valid manifest" },
        { "files.0.bytes", "1e300", "is not a valid manifest" },
        { "files.0.fileName", "\"/tmp/evil.csv\"", "files[0].fileName: " },
        { "files.0.fileName", "\"../../evil.csv\"", "files[0].fileName: " },
        { "files.1.fileName", "\"asr-per-route_544.csv\"", "files[1].fileName: 'asr-per-route_544.csv' is the manifest's own name or is listed twice" },
        { "files", "[]", "files: is empty" },
        { "files", "null", "is not a valid manifest" },
        { "files", "[null]", "files[0]: is null" },
        { "revision", "0", "revision: 0 is not 1 or more" },
        { "revision", "-5", "revision: -5 is not 1 or more" },
        { "revision", "99999999999", "is not a valid manifest" },
        { "chainSequence", "0", "chainSequence: " },
        { "previousEntrySha256", "\"nothex\"", "previousEntrySha256: 'nothex' is not 64 lower-case hex digits" },
        { "run", "\"a string\"", "is not a valid manifest" },
        { "storedAt", "\"yesterday\"", "is not a valid manifest" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task EditedManifest_IsRefusedByGet_ReportedByVerify_AndNothingIsWritten(string path, string? json, string expected)
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        TempArchive.EditManifest(stored.FullPath, m => Set(m, path, json));
        await AssertRefusedAsync(stored, expected);
    }

    /// <summary>Whole manifests that are not one: not JSON, the wrong JSON, too large.</summary>
    public static TheoryData<string, string> Contents => new()
    {
        { "", "is not a valid manifest" },
        { "{ \"id\": ", "is not a valid manifest" },
        { "[]", "is not a valid manifest" },
        { "\"manifest\"", "is not a valid manifest" },
        { new string(' ', 2_000_000) + "{}", "a manifest is at most" },
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public async Task ReplacedManifest_IsRefusedByGet_ReportedByVerify_AndNothingIsWritten(string content, string expected)
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        TempArchive.WriteOver(Path.Combine(stored.FullPath, ArchiveStore.ManifestName), Encoding.UTF8.GetBytes(content));
        await AssertRefusedAsync(stored, expected);
    }

    private async Task AssertRefusedAsync(ArchiveStoreResult stored, string expected)
    {
        var outDir = Path.Combine(_archive.Parent, "out");
        var before = HostileWorld.Fingerprint(_archive.Root, Path.Combine(_archive.Parent, "ledger.db"));

        var get = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir);
        var verify = await _archive.CliAsync("verify");

        HostileWorld.AssertRefused(new(get.Code, get.Out, get.Err), $"{stored.Entry.Path}/{ArchiveStore.ManifestName}", code: 1);
        Assert.Contains(expected, get.Err, StringComparison.Ordinal);
        Assert.Equal(1, verify.Code);
        Assert.Contains($"badmanifest  {stored.Entry.Id}", verify.Out, StringComparison.Ordinal);
        Assert.Contains(expected, verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", verify.Out + verify.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "get wrote into --out");
        Assert.Equal(before, HostileWorld.Fingerprint(_archive.Root, Path.Combine(_archive.Parent, "ledger.db")));
    }

    private static void Set(JsonObject manifest, string path, string? json)
    {
        var parts = path.Split('.');
        JsonNode node = manifest;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        }

        var last = parts[^1];
        var value = json is null ? null : JsonNode.Parse(json);
        if (int.TryParse(last, out var index))
        {
            node[index] = value;
        }
        else if (json is null)
        {
            node.AsObject().Remove(last);
        }
        else
        {
            node[last] = value;
        }
    }
}
