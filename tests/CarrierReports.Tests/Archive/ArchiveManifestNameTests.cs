using CarrierReports.Tests.Support;
using System.Text;
using CarrierReports.Archive;
using CarrierReports.Cli;

namespace CarrierReports.Tests.Archive;

/// <summary>Issue 9, finding 2 and item 6: names and content read from a manifest are hostile input.</summary>
public sealed class ArchiveManifestNameTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task Get_ManifestNamingAnAbsolutePath_IsRefused_AndThatPathIsUntouched()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var victim = Path.Combine(_archive.Parent, "victim.txt");
        await File.WriteAllTextAsync(victim, "precious");
        // The forgery: a file reachable inside the entry folder under the victim's absolute path, and a manifest
        // naming that absolute path with the forged file's real hash.
        var forged = Encoding.UTF8.GetBytes("overwritten by archive get");
        var planted = Path.Combine(stored.FullPath, victim.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(planted)!);
        await File.WriteAllBytesAsync(planted, forged);
        TempArchive.EditManifest(stored.FullPath, m =>
        {
            var f = m["files"]![0]!.AsObject();
            f["fileName"] = victim;
            f["sha256"] = TempArchive.Sha(forged);
            f["bytes"] = forged.Length;
        });
        var outDir = Path.Combine(_archive.Parent, "out");

        var get = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir);
        var verify = await _archive.CliAsync("verify");

        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        Assert.Equal(CliApp.Failed, get.Code);
        Assert.Contains($"{stored.Entry.Path}/{ArchiveStore.ManifestName}", get.Err, StringComparison.Ordinal);
        Assert.Contains("files[0].fileName", get.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"badmanifest  {stored.Entry.Id}", verify.Out, StringComparison.Ordinal);
        Assert.Contains("is not a plain file name", verify.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd", "not a plain file name")]
    [InlineData("../escape.csv", "not a plain file name")]
    [InlineData("sub/dir.csv", "not a plain file name")]
    [InlineData("sub\\dir.csv", "not a plain file name")]
    [InlineData("c:evil.csv", "not a plain file name")]
    [InlineData(".", "not a plain file name")]
    [InlineData("..", "not a plain file name")]
    [InlineData("line\nbreak.csv", "control character")]
    [InlineData("bell\u0007.csv", "control character")]
    [InlineData("", "is empty")]
    [InlineData("archive-entry.json", "manifest's own name")]
    [InlineData("asr-per-route_544.pdf", "listed twice")]
    public async Task ManifestFileName_NotPlain_IsReportedByVerify_AndRefusedByGet(string name, string reason)
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        TempArchive.EditManifest(stored.FullPath, m => m["files"]![0]!["fileName"] = name);

        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);
        var get = await Assert.ThrowsAsync<InvalidDataException>(() =>
            _archive.Store.ExportAsync(stored.Entry.Id, Path.Combine(_archive.Parent, "out"), CancellationToken.None));

        var problem = Assert.Single(verify.Problems);
        Assert.Equal(ArchiveProblemKind.BadManifest, problem.Kind);
        Assert.Equal(stored.Entry.Id, problem.EntryId);
        Assert.Contains("files[", problem.Detail, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, verify.Entries);
        Assert.Contains(reason, get.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_archive.Parent, "out")));
    }

    [Theory]
    [InlineData("{ not json", "is not a valid manifest")]
    [InlineData("null", "is not a valid manifest")]
    [InlineData("{}", "is not a valid manifest")]
    [InlineData("{\"id\":\"x\"}", "is not a valid manifest")]
    public async Task CorruptManifest_IsReportedByListGetAndVerify_WithPathAndJsonError(string content, string reason)
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var good = await _archive.StoreAndRecordAsync(TempArchive.Run(month: 9), TempArchive.Files());
        TempArchive.WriteOver(Path.Combine(stored.FullPath, ArchiveStore.ManifestName), Encoding.UTF8.GetBytes(content));
        var where = $"{stored.Entry.Path}/{ArchiveStore.ManifestName}";

        var list = await _archive.CliAsync("list");
        var get = await _archive.CliAsync("get", stored.Entry.Id, "--out", Path.Combine(_archive.Parent, "out"));
        var verify = await _archive.CliAsync("verify");

        Assert.Equal(CliApp.Failed, list.Code);
        Assert.Contains(good.Entry.Id, list.Out, StringComparison.Ordinal);
        Assert.Contains($"unreadable  {where}: {reason}", list.Out, StringComparison.Ordinal);
        Assert.Equal(CliApp.Failed, get.Code);
        Assert.Contains(where, get.Err, StringComparison.Ordinal);
        Assert.Contains(reason, get.Err, StringComparison.Ordinal);
        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"badmanifest  {stored.Entry.Id}  {where}: {reason}", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptManifest_NamesTheJsonErrorPosition()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        TempArchive.WriteOver(Path.Combine(stored.FullPath, ArchiveStore.ManifestName), Encoding.UTF8.GetBytes("{\"id\": tru }"));

        var problem = Assert.Single((await _archive.Store.ListWithProblemsAsync(CancellationToken.None)).Problems);

        Assert.Equal(ArchiveProblemKind.BadManifest, problem.Kind);
        Assert.Contains("LineNumber: 0 | BytePositionInLine:", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ExistingFileInOut_IsKept_UnlessForce()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var outDir = Path.Combine(_archive.Parent, "out");
        Directory.CreateDirectory(outDir);
        var mine = Path.Combine(outDir, "asr-per-route_544.pdf");
        await File.WriteAllTextAsync(mine, "my own notes");

        var refused = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir);

        Assert.Equal(CliApp.BadInput, refused.Code);
        Assert.Contains("error: --out: ", refused.Err, StringComparison.Ordinal);
        Assert.Contains("asr-per-route_544.pdf' already exists", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Err, StringComparison.Ordinal);
        Assert.Equal("my own notes", await File.ReadAllTextAsync(mine));
        Assert.Equal(["asr-per-route_544.pdf"], Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName));

        var forced = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir, "--force");

        Assert.Equal(CliApp.Ok, forced.Code);
        Assert.Equal(TempArchive.Files()[1].Bytes(), await File.ReadAllBytesAsync(mine));
    }

    [Fact]
    public async Task Get_Force_ReplacesALinkInOut_NeverWritesThroughIt()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var victim = Path.Combine(_archive.Parent, "victim.txt");
        await File.WriteAllTextAsync(victim, "precious");
        var outDir = Path.Combine(_archive.Parent, "out");
        Directory.CreateDirectory(outDir);
        var link = Path.Combine(outDir, "asr-per-route_544.csv");
        File.CreateSymbolicLink(link, victim);

        var refused = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir);
        var forced = await _archive.CliAsync("get", stored.Entry.Id, "--out", outDir, "--force");

        Assert.Equal(CliApp.BadInput, refused.Code);
        Assert.Equal(CliApp.Ok, forced.Code);
        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Equal(TempArchive.Files()[0].Bytes(), await File.ReadAllBytesAsync(link));
    }
}
