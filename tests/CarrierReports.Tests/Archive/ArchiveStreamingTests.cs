using System.Security.Cryptography;
using CarrierReports.Archive;

namespace CarrierReports.Tests.Archive;

/// <summary>Runs alone: it measures the process's allocations, which parallel tests would add to.</summary>
[CollectionDefinition(nameof(ArchiveStreamingTests), DisableParallelization = true)]
public sealed class ArchiveStreamingCollection;

/// <summary>Issue 9, item 5: <c>archive get</c> and hashing stream files instead of reading them whole.</summary>
[Collection(nameof(ArchiveStreamingTests))]
public sealed class ArchiveStreamingTests : IDisposable
{
    private const int LargeBytes = 64 << 20;

    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    /// <summary>
    /// An entry with a 64 MiB file, written to disk directly (the store takes rendered bytes in memory, which is not
    /// what is measured here) with a manifest whose hash the test computes itself.
    /// </summary>
    private async Task<(ArchiveStoreResult Stored, string Large)> LargeEntryAsync()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        var large = Path.Combine(stored.FullPath, "asr-per-route_544.csv");
        File.SetAttributes(large, FileAttributes.Normal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var stream = File.Create(large))
        {
            var block = new byte[1 << 20];
            for (var i = 0; i < LargeBytes / block.Length; i++)
            {
                Random.Shared.NextBytes(block);
                hash.AppendData(block);
                await stream.WriteAsync(block);
            }
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        TempArchive.EditManifest(stored.FullPath, m =>
        {
            m["files"]![0]!["sha256"] = sha;
            m["files"]![0]!["bytes"] = LargeBytes;
        });
        return (stored, large);
    }

    [Fact]
    public async Task Get_And_Verify_Of_A_64MiB_File_AllocateFarLessThanTheFile()
    {
        var (stored, large) = await LargeEntryAsync();
        var outDir = Path.Combine(_archive.Parent, "out");

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var export = await _archive.Store.ExportAsync(stored.Entry.Id, outDir, CancellationToken.None);
        var afterGet = GC.GetTotalAllocatedBytes(precise: true);
        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);
        var afterVerify = GC.GetTotalAllocatedBytes(precise: true);

        Assert.True(export.Ok);
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
        Assert.Equal(new FileInfo(large).Length, new FileInfo(Path.Combine(outDir, "asr-per-route_544.csv")).Length);
        Assert.True(afterGet - before < LargeBytes / 4, $"archive get allocated {afterGet - before:N0} bytes for a {LargeBytes:N0}-byte file");
        Assert.True(afterVerify - afterGet < LargeBytes / 4, $"archive verify allocated {afterVerify - afterGet:N0} bytes for a {LargeBytes:N0}-byte file");
    }

    [Fact]
    public async Task Get_MismatchFoundWhileCopying_LeavesNoFileInAnExistingOutFolder()
    {
        var (stored, large) = await LargeEntryAsync();
        var outDir = Path.Combine(_archive.Parent, "out");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "mine.txt"), "mine");
        // Same size, last byte changed: the mismatch shows only once the whole file was copied.
        await using (var stream = new FileStream(large, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(-1, SeekOrigin.End);
            var last = stream.ReadByte();
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte((byte)(last ^ 0xff));
        }

        var export = await _archive.Store.ExportAsync(stored.Entry.Id, outDir, CancellationToken.None);

        Assert.False(export.Ok);
        Assert.Equal(ArchiveProblemKind.Changed, Assert.Single(export.Problems).Kind);
        Assert.Equal(["mine.txt"], Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName));
    }
}
