using CarrierReports.Tests.Support;
using CarrierReports.Archive;
using CarrierReports.Cli;

namespace CarrierReports.Tests.Archive;

/// <summary>Issue 9, finding 3: real symbolic links at every level of the archive are refused and never followed.</summary>
/// <remarks>Unix file modes are what a mode change through a link would alter; the service runs on Linux.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ArchiveLinkTests : IDisposable
{
    private const UnixFileMode WriteBits = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    private string Outside(string name)
    {
        var path = Path.Combine(_archive.Parent, name);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task Store_CarrierFolderIsALink_IsRefused_AndNothingIsWrittenWhereItPoints()
    {
        var elsewhere = Outside("elsewhere");
        Directory.CreateDirectory(_archive.Root);
        Directory.CreateSymbolicLink(Path.Combine(_archive.Root, "544"), elsewhere);

        var error = await Assert.ThrowsAsync<IOException>(() => _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None));

        Assert.Contains("544' is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Store_SubscriptionOrEntryFolderIsALink_IsRefused()
    {
        var elsewhere = Outside("elsewhere");
        Directory.CreateDirectory(Path.Combine(_archive.Root, "544"));
        Directory.CreateSymbolicLink(Path.Combine(_archive.Root, "544", "monthly-acme"), elsewhere);
        Directory.CreateDirectory(Path.Combine(_archive.Root, "777", "monthly-acme"));
        Directory.CreateSymbolicLink(Path.Combine(_archive.Root, "777", "monthly-acme", "2026-10-01_2026-11-01_day"), elsewhere);

        await Assert.ThrowsAsync<IOException>(() => _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => _archive.Store.StoreAsync(TempArchive.Run(carrier: "777"), TempArchive.Files(), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task Purge_LinkedEntryFolder_NeitherDeletesNorChmodsWhatItPointsTo()
    {
        var linked = await _archive.Store.StoreAsync(TempArchive.Run(month: 1), TempArchive.Files(), CancellationToken.None);
        await _archive.Store.StoreAsync(TempArchive.Run(month: 2), TempArchive.Files(), CancellationToken.None);
        // The entry's folder moves outside the root and a link takes its place: purge must not reach through it.
        var victim = Path.Combine(_archive.Parent, "victim");
        Directory.Move(linked.FullPath, victim);
        Directory.CreateSymbolicLink(linked.FullPath, victim);
        var victimFiles = Directory.GetFiles(victim).Order(StringComparer.Ordinal).ToList();

        var removed = await _archive.Store.PurgeAsync(TimeSpan.FromDays(200), ArchiveAge.PeriodEnd, dryRun: false, CancellationToken.None);

        Assert.Single(removed);
        Assert.Equal(victimFiles, Directory.GetFiles(victim).Order(StringComparer.Ordinal));
        Assert.All(victimFiles, f => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(f) & WriteBits));
        Assert.NotNull(new FileInfo(linked.FullPath).LinkTarget);
    }

    [Fact]
    public async Task Purge_LinkInsideAnEntry_IsRemovedItself_TargetUntouched()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(month: 1), TempArchive.Files(), CancellationToken.None);
        var victim = Path.Combine(Outside("keep"), "precious.txt");
        await File.WriteAllTextAsync(victim, "precious");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead);
        File.CreateSymbolicLink(Path.Combine(stored.FullPath, "link.txt"), victim);

        await _archive.Store.PurgeAsync(TimeSpan.FromDays(200), ArchiveAge.PeriodEnd, dryRun: false, CancellationToken.None);

        Assert.False(Directory.Exists(stored.FullPath));
        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(victim));
    }

    [Fact]
    public async Task Verify_AndGet_ArchivedFileReplacedByALinkWithTheSameContent_IsReported()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        // Same bytes, so the hash matches: only refusing the link catches it.
        var copy = Path.Combine(Outside("elsewhere"), "copy.csv");
        await File.WriteAllBytesAsync(copy, TempArchive.Files()[0].Bytes());
        var csv = Path.Combine(stored.FullPath, "asr-per-route_544.csv");
        File.SetAttributes(csv, FileAttributes.Normal);
        File.Delete(csv);
        File.CreateSymbolicLink(csv, copy);

        var verify = await _archive.CliAsync("verify");
        var get = await _archive.CliAsync("get", stored.Entry.Id, "--out", Path.Combine(_archive.Parent, "out"));

        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"link        {stored.Entry.Id}  {stored.Entry.Path}/asr-per-route_544.csv: is a symbolic link", verify.Out, StringComparison.Ordinal);
        Assert.Equal(CliApp.Failed, get.Code);
        Assert.Contains("refused  asr-per-route_544.csv: is a symbolic link", get.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListVerify_LinkedCarrierFolderHoldingAnEntry_IsReportedAndNotFollowed()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var elsewhere = Path.Combine(_archive.Parent, "elsewhere");
        Directory.Move(Path.Combine(_archive.Root, "544"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(_archive.Root, "544"), elsewhere);

        var list = await _archive.Store.ListWithProblemsAsync(CancellationToken.None);
        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        Assert.Empty(list.Entries);
        Assert.Equal((ArchiveProblemKind.Link, "544"), (Assert.Single(list.Problems).Kind, list.Problems[0].Path));
        Assert.Contains(verify.Problems, p => p.Kind == ArchiveProblemKind.Link && p.Path == "544");
        Assert.Contains(verify.Problems, p => p.Kind == ArchiveProblemKind.EntryMissing && p.Path == stored.Entry.Path);
    }

    [Fact]
    public async Task RootItselfALink_IsResolvedOnce_AndEverythingWorks()
    {
        using var linked = new TempArchive("archive-link");
        var real = Path.Combine(linked.Parent, "real-archive");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(linked.Root, real);

        var stored = await linked.StoreAndRecordAsync(TempArchive.Run(month: 1), TempArchive.Files());
        var inRealFolder = File.Exists(Path.Combine(real, "544", "monthly-acme", "2026-01-01_2026-02-01_day", "asr-per-route_544.csv"));
        var verify = await linked.CliAsync("verify");
        var get = await linked.CliAsync("get", stored.Entry.Id, "--out", Path.Combine(linked.Parent, "out"));
        var removed = await linked.Store.PurgeAsync(TimeSpan.FromDays(200), ArchiveAge.PeriodEnd, dryRun: false, CancellationToken.None);

        Assert.True(inRealFolder);
        Assert.Equal((CliApp.Ok, ""), (verify.Code, verify.Err));
        Assert.Equal(CliApp.Ok, get.Code);
        Assert.Equal(stored.Entry.Id, Assert.Single(removed).Id);
        Assert.Equal(CliApp.Ok, (await linked.CliAsync("verify")).Code);
        Assert.NotNull(new FileInfo(linked.Root).LinkTarget);
    }

    [Fact]
    public void RealPath_ResolvesLinksAtEveryComponent()
    {
        var a = Outside("a");
        Directory.CreateDirectory(Path.Combine(a, "b"));
        var l1 = Path.Combine(_archive.Parent, "l1");
        Directory.CreateSymbolicLink(l1, "a");
        var l2 = Path.Combine(a, "b", "l2");
        Directory.CreateSymbolicLink(l2, "../../l1/b");

        Assert.Equal(Path.Combine(a, "b"), ArchiveFs.RealPath(l2));
        Assert.Equal(Path.Combine(a, "b", "x.txt"), ArchiveFs.RealPath(Path.Combine(l1, "b", "x.txt")));
        Assert.False(ArchiveFs.IsInside(Path.Combine(a, "b"), Path.Combine(l1, "c")));
        Assert.True(ArchiveFs.IsInside(a, Path.Combine(l1, "b", "l2")));
    }
}
