using CarrierReports.Tests.Support;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CarrierReports.Archive;
using CarrierReports.Rendering;

namespace CarrierReports.Tests.Archive;

public sealed class ArchiveStoreTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static void Tamper(string path, string text)
    {
        File.SetAttributes(path, FileAttributes.Normal);
        File.AppendAllText(path, text);
    }

    [Fact]
    public async Task Store_ThenListAndExport_RoundTripsBytesAndManifest()
    {
        var run = TempArchive.Run();
        var files = TempArchive.Files();

        var stored = await _archive.Store.StoreAsync(run, files, CancellationToken.None);

        Assert.Equal(ArchiveStoreOutcome.Stored, stored.Outcome);
        Assert.Equal("544/monthly-acme/2026-10-01_2026-11-01_day", stored.Entry.Path);
        Assert.Matches("^[0-9a-f]{12}$", stored.Entry.Id);
        Assert.Equal(Path.Combine(_archive.Root, "544", "monthly-acme", "2026-10-01_2026-11-01_day"), stored.FullPath);
        foreach (var f in files)
        {
            var path = Path.Combine(stored.FullPath, f.FileName);
            Assert.Equal(f.Sha256, Sha(path));
            Assert.True(File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly));
        }

        using (var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(stored.FullPath, ArchiveStore.ManifestName))))
        {
            var m = manifest.RootElement;
            Assert.Equal(run.RunId, m.GetProperty("run").GetProperty("runId").GetString());
            Assert.Equal("Europe/London", m.GetProperty("run").GetProperty("timeZone").GetString());
            Assert.Equal(files[1].Sha256, m.GetProperty("files")[1].GetProperty("sha256").GetString());
            Assert.Equal(files[1].Length, m.GetProperty("files")[1].GetProperty("bytes").GetInt64());
            Assert.Equal(_archive.Clock.GetUtcNow(), m.GetProperty("storedAt").GetDateTimeOffset());
        }

        var listed = Assert.Single(await _archive.Store.ListAsync(CancellationToken.None));
        Assert.Equal(stored.Entry.Id, listed.Id);
        Assert.Equal(run, listed.Run with { Formats = run.Formats });
        Assert.Equal(["csv", "pdf"], listed.Run.Formats);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(1)), listed.LocalFrom);

        var outDir = Path.Combine(_archive.Parent, "export");
        var export = await _archive.Store.ExportAsync(stored.Entry.Id.ToUpperInvariant(), outDir, CancellationToken.None);

        Assert.True(export.Ok);
        Assert.Equal(3, export.WrittenPaths.Count);
        foreach (var f in files)
        {
            Assert.Equal(f.Bytes(), File.ReadAllBytes(Path.Combine(outDir, f.FileName)));
        }

        Assert.True(File.Exists(Path.Combine(outDir, stored.Entry.Id + "." + ArchiveStore.ManifestName)));
    }

    [Fact]
    public async Task Store_SameFilesAgain_ReturnsExistingEntryWithoutWriting()
    {
        var first = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        var before = _archive.AllFiles();
        _archive.Clock.Advance(TimeSpan.FromHours(3));

        var again = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);

        Assert.Equal(ArchiveStoreOutcome.AlreadyStored, again.Outcome);
        Assert.Equal(first.Entry.Id, again.Entry.Id);
        Assert.Equal(first.Entry.StoredAt, again.Entry.StoredAt);
        Assert.Equal(before, _archive.AllFiles());
    }

    [Fact]
    public async Task Store_DifferentFilesSamePeriod_StoresRevisionAndKeepsTheOriginal()
    {
        var first = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files("a"), CancellationToken.None);
        var original = Sha(Path.Combine(first.FullPath, "asr-per-route_544.csv"));

        var second = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files("b"), CancellationToken.None);
        var third = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files("c"), CancellationToken.None);
        var secondAgain = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files("b"), CancellationToken.None);

        Assert.Equal(ArchiveStoreOutcome.StoredAsRevision, second.Outcome);
        Assert.Equal("544/monthly-acme/2026-10-01_2026-11-01_day-r2", second.Entry.Path);
        Assert.Equal(2, second.Entry.Revision);
        Assert.Equal("544/monthly-acme/2026-10-01_2026-11-01_day-r3", third.Entry.Path);
        Assert.Equal(ArchiveStoreOutcome.AlreadyStored, secondAgain.Outcome);
        Assert.Equal(second.Entry.Id, secondAgain.Entry.Id);
        Assert.Equal(original, Sha(Path.Combine(first.FullPath, "asr-per-route_544.csv")));
        Assert.Equal(3, (await _archive.Store.ListAsync(CancellationToken.None)).Count);
        Assert.Equal(3, new[] { first, second, third }.Select(r => r.Entry.Id).Distinct().Count());
    }

    [Fact]
    public async Task TamperedFile_ReportedByVerifyAndRefusedByExport()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        await _archive.Store.StoreAsync(TempArchive.Run(month: 9), TempArchive.Files(), CancellationToken.None);
        Tamper(Path.Combine(stored.FullPath, "asr-per-route_544.pdf"), "!");

        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);
        var outDir = Path.Combine(_archive.Parent, "export");
        var export = await _archive.Store.ExportAsync(stored.Entry.Id, outDir, CancellationToken.None);

        Assert.False(verify.Ok);
        Assert.Equal(2, verify.Entries);
        Assert.Equal(4, verify.Files);
        var problem = Assert.Single(verify.Problems);
        Assert.Equal(ArchiveProblemKind.Changed, problem.Kind);
        Assert.Equal("asr-per-route_544.pdf", problem.FileName);
        Assert.Equal(stored.Entry.Id, problem.EntryId);
        Assert.False(export.Ok);
        Assert.Equal("asr-per-route_544.pdf", Assert.Single(export.Problems).FileName);
        Assert.Empty(export.WrittenPaths);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Verify_MissingUnexpectedAndManifestless_AreReported()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        var csv = Path.Combine(stored.FullPath, "asr-per-route_544.csv");
        File.SetAttributes(csv, FileAttributes.Normal);
        File.Delete(csv);
        await File.WriteAllTextAsync(Path.Combine(stored.FullPath, "extra.txt"), "x");
        Directory.CreateDirectory(Path.Combine(_archive.Root, "544", "monthly-acme", "2026-08-01_2026-09-01_day"));

        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);

        Assert.Equal(
            [(ArchiveProblemKind.Missing, "asr-per-route_544.csv"), (ArchiveProblemKind.Unexpected, "extra.txt"), (ArchiveProblemKind.NoManifest, (string?)null)],
            verify.Problems.Select(p => (p.Kind, p.FileName)).OrderBy(p => p.Kind));
        var export = await _archive.Store.ExportAsync(stored.Entry.Id, Path.Combine(_archive.Parent, "export"), CancellationToken.None);
        Assert.Equal(ArchiveProblemKind.Missing, Assert.Single(export.Problems).Kind);
    }

    [Fact]
    public async Task Purge_ByPeriodEnd_RemovesOnlyOlderEntries()
    {
        var old = await _archive.Store.StoreAsync(TempArchive.Run(month: 1), TempArchive.Files(), CancellationToken.None);
        var other = await _archive.Store.StoreAsync(TempArchive.Run(carrier: "777", month: 2), TempArchive.Files(), CancellationToken.None);
        var recent = await _archive.Store.StoreAsync(TempArchive.Run(month: 10), TempArchive.Files(), CancellationToken.None);

        // Now is 2026-11-02: January ended 274 days ago, February 246, October 1.
        var dry = await _archive.Store.PurgeAsync(TimeSpan.FromDays(250), ArchiveAge.PeriodEnd, dryRun: true, CancellationToken.None);
        Assert.Equal([old.Entry.Id], dry.Select(e => e.Id));
        Assert.Equal(3, (await _archive.Store.ListAsync(CancellationToken.None)).Count);

        var removed = await _archive.Store.PurgeAsync(TimeSpan.FromDays(200), ArchiveAge.PeriodEnd, dryRun: false, CancellationToken.None);

        Assert.Equal(new[] { old.Entry.Id, other.Entry.Id }.Order(StringComparer.Ordinal), removed.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal([recent.Entry.Id], (await _archive.Store.ListAsync(CancellationToken.None)).Select(e => e.Id));
        Assert.False(Directory.Exists(old.FullPath));
        Assert.False(Directory.Exists(Path.Combine(_archive.Root, "777")));
        Assert.True(Directory.Exists(recent.FullPath));
        Assert.True((await _archive.Store.VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Purge_ByStoredAt_UsesWhenTheEntryWasStored()
    {
        var early = await _archive.Store.StoreAsync(TempArchive.Run(month: 10), TempArchive.Files(), CancellationToken.None);
        _archive.Clock.Advance(TimeSpan.FromDays(40));
        var late = await _archive.Store.StoreAsync(TempArchive.Run(month: 1), TempArchive.Files(), CancellationToken.None);

        var removed = await _archive.Store.PurgeAsync(TimeSpan.FromDays(30), ArchiveAge.StoredAt, dryRun: false, CancellationToken.None);

        Assert.Equal([early.Entry.Id], removed.Select(e => e.Id));
        Assert.Equal([late.Entry.Id], (await _archive.Store.ListAsync(CancellationToken.None)).Select(e => e.Id));
    }

    [Theory]
    [InlineData("../../etc", "monthly", "passwd")]
    [InlineData("/etc", "/tmp/evil", "/etc/passwd")]
    [InlineData("..", "..", "..")]
    [InlineData("a/b\\c", "x/../../../y", "dir/../../../z.csv")]
    public async Task Store_TraversalInNames_StaysUnderRoot(string carrier, string subscription, string fileName)
    {
        var files = new[] { new Artifact("csv", fileName, "text/csv", Encoding.UTF8.GetBytes("x")) };

        var stored = await _archive.Store.StoreAsync(TempArchive.Run(carrier, subscription), files, CancellationToken.None);

        var all = _archive.AllFiles();
        Assert.All(all, f => Assert.StartsWith("archive" + Path.DirectorySeparatorChar, f, StringComparison.Ordinal));
        Assert.Equal(2, all.Count(f => f.StartsWith(Path.Combine("archive", stored.Entry.Path.Split('/')[0]), StringComparison.Ordinal)));
        Assert.Equal(3, stored.Entry.Path.Split('/').Length);
        Assert.All(stored.Entry.Path.Split('/').Append(stored.Entry.Files[0].FileName), c =>
        {
            Assert.DoesNotContain("/", c, StringComparison.Ordinal);
            Assert.DoesNotContain("\\", c, StringComparison.Ordinal);
            Assert.False(c.StartsWith('.'), c);
        });
        Assert.True((await _archive.Store.VerifyAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public void Under_PathLeavingRoot_IsRejected()
    {
        Assert.Throws<InputException>(() => ArchivePaths.Under(_archive.Root, "../outside", "path"));
        Assert.Throws<InputException>(() => ArchivePaths.Under(_archive.Root, "/etc/passwd", "path"));
        // A sibling whose name merely starts with the root's name is outside too.
        Assert.Throws<InputException>(() => ArchivePaths.Under(_archive.Root, "../archive-evil/x", "path"));
        Assert.Equal(Path.Combine(_archive.Root, "a", "b"), ArchivePaths.Under(_archive.Root, "a/b", "path"));
        Assert.Equal("__", ArchivePaths.Sanitize("..", "f"));
        Assert.Equal("_etc_passwd", ArchivePaths.Sanitize("/etc/passwd", "f"));
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_IsRejected()
    {
        await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);

        var unknown = await Assert.ThrowsAsync<InputException>(() => _archive.Store.GetAsync("0123456789ab", CancellationToken.None));
        var malformed = await Assert.ThrowsAsync<InputException>(() => _archive.Store.GetAsync("../544", CancellationToken.None));

        Assert.Equal("id", unknown.Field);
        Assert.Contains("no archive entry", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("id", malformed.Field);
    }

    [Fact]
    public async Task Store_ReservedOrCollidingFileNames_AreRejected()
    {
        var reserved = new[] { new Artifact("json", ArchiveStore.ManifestName, "application/json", [1]) };
        var colliding = new[] { new Artifact("csv", "a/b.csv", "text/csv", [1]), new Artifact("csv", "a:b.csv", "text/csv", [2]) };

        Assert.Equal("files:0:fileName", (await Assert.ThrowsAsync<InputException>(() => _archive.Store.StoreAsync(TempArchive.Run(), reserved, CancellationToken.None))).Field);
        Assert.Equal("files:1:fileName", (await Assert.ThrowsAsync<InputException>(() => _archive.Store.StoreAsync(TempArchive.Run(), colliding, CancellationToken.None))).Field);
        Assert.Equal("run:timeZone", (await Assert.ThrowsAsync<InputException>(() =>
            _archive.Store.StoreAsync(TempArchive.Run() with { TimeZone = "Mars/Olympus" }, TempArchive.Files(), CancellationToken.None))).Field);
        Assert.False(Directory.Exists(Path.Combine(_archive.Root, "544")));
    }
}
