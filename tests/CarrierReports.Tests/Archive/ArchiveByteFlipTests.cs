using CarrierReports.Archive;

namespace CarrierReports.Tests.Archive;

/// <summary>
/// Tampering that keeps a file's size: only the SHA-256 comparison can notice it, so these tests fail if verify or
/// export ever compares sizes alone.
/// </summary>
public sealed class ArchiveByteFlipTests : IDisposable
{
    private const string Pdf = "asr-per-route_544.pdf";
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    /// <summary>Inverts the bits of one byte in the middle of the file; its length stays the same.</summary>
    private static void FlipOneByte(string path)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public async Task Verify_ByteFlippedSameSize_IsReportedAsChanged()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        var path = Path.Combine(stored.FullPath, Pdf);
        var size = new FileInfo(path).Length;
        FlipOneByte(path);

        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);

        Assert.Equal(size, new FileInfo(path).Length);
        Assert.False(verify.Ok);
        var problem = Assert.Single(verify.Problems);
        Assert.Equal(ArchiveProblemKind.Changed, problem.Kind);
        Assert.Equal(Pdf, problem.FileName);
        Assert.Equal(stored.Entry.Id, problem.EntryId);
        Assert.Contains(TempArchive.Files()[1].Sha256, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ByteFlippedSameSize_IsRefusedAndWritesNothing()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        FlipOneByte(Path.Combine(stored.FullPath, Pdf));
        var outDir = Path.Combine(_archive.Parent, "export");

        var export = await _archive.Store.ExportAsync(stored.Entry.Id, outDir, CancellationToken.None);

        Assert.False(export.Ok);
        var problem = Assert.Single(export.Problems);
        Assert.Equal(ArchiveProblemKind.Changed, problem.Kind);
        Assert.Equal(Pdf, problem.FileName);
        Assert.Empty(export.WrittenPaths);
        Assert.False(Directory.Exists(outDir));
    }
}
