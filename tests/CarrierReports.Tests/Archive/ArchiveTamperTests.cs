using System.Text;
using System.Text.Json.Nodes;
using CarrierReports.Archive;
using CarrierReports.Cli;

namespace CarrierReports.Tests.Archive;

/// <summary>
/// Issue 9, finding 4: the archive is checked against the run ledger and each subscription's hash chain, so a
/// consistent rewrite of files and manifest, a removed entry, or a rewritten middle entry are all reported.
/// </summary>
public sealed class ArchiveTamperTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    private async Task<ArchiveStoreResult[]> ThreeMonthsAsync() =>
    [
        await _archive.StoreAndRecordAsync(TempArchive.Run(month: 8), TempArchive.Files("aug")),
        await _archive.StoreAndRecordAsync(TempArchive.Run(month: 9), TempArchive.Files("sep")),
        await _archive.StoreAndRecordAsync(TempArchive.Run(month: 10), TempArchive.Files("oct")),
    ];

    private static string ManifestSha(ArchiveStoreResult r) => TempArchive.Sha(File.ReadAllBytes(Path.Combine(r.FullPath, ArchiveStore.ManifestName)));

    /// <summary>Replaces the CSV of an entry and writes its new hash and size into the manifest, as a careful forger would.</summary>
    private static void ForgeCsvAndManifest(ArchiveStoreResult r, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        TempArchive.WriteOver(Path.Combine(r.FullPath, "asr-per-route_544.csv"), bytes);
        TempArchive.EditManifest(r.FullPath, m =>
        {
            m["files"]![0]!["sha256"] = TempArchive.Sha(bytes);
            m["files"]![0]!["bytes"] = bytes.Length;
        });
    }

    [Fact]
    public async Task Chain_EachManifestHoldsTheSha256OfThePreviousManifestsBytes()
    {
        var entries = await ThreeMonthsAsync();
        var other = await _archive.StoreAndRecordAsync(TempArchive.Run(subscription: "daily-beta"), TempArchive.Files());

        var links = entries.Select(e => JsonNode.Parse(File.ReadAllText(Path.Combine(e.FullPath, ArchiveStore.ManifestName)))!).ToList();

        Assert.Equal([1L, 2L, 3L], links.Select(l => l["chainSequence"]!.GetValue<long>()));
        Assert.Equal(new string('0', 64), links[0]["previousEntrySha256"]!.GetValue<string>());
        Assert.Equal(ManifestSha(entries[0]), links[1]["previousEntrySha256"]!.GetValue<string>());
        Assert.Equal(ManifestSha(entries[1]), links[2]["previousEntrySha256"]!.GetValue<string>());
        Assert.Equal(1, other.Entry.ChainSequence);

        var verify = await _archive.CliAsync("verify");

        Assert.Equal(CliApp.Ok, verify.Code);
        Assert.Contains($"chain-head  monthly-acme  #3  {ManifestSha(entries[2])}  {entries[2].Entry.Path}", verify.Out, StringComparison.Ordinal);
        Assert.Contains($"chain-head  daily-beta  #1  {ManifestSha(other)}  {other.Entry.Path}", verify.Out, StringComparison.Ordinal);
        Assert.Contains("ok: 4 entries, 8 files match their manifests, hash chains and the run ledger", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedEntryFolder_IsReportedFromTheLedger()
    {
        var entries = await ThreeMonthsAsync();
        Directory.Move(entries[2].FullPath, Path.Combine(_archive.Parent, "gone"));

        var verify = await _archive.CliAsync("verify");

        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"entrymissing  {entries[2].Entry.Id}  {entries[2].Entry.Path}: is recorded in the run ledger", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ok:", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OnlyEntryDeleted_IsNotOkWithZeroEntries()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        Directory.Move(Path.Combine(_archive.Root, "544"), Path.Combine(_archive.Parent, "gone"));

        var verify = await _archive.CliAsync("verify");

        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"entrymissing  {stored.Entry.Id}", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FileAndItsManifestHashEdited_IsReportedAgainstTheLedger()
    {
        var entries = await ThreeMonthsAsync();
        ForgeCsvAndManifest(entries[2], "route,attempts\r\nFR-Mobile,999\r\n");

        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);
        var selfOnly = await _archive.Store.VerifyAsync(CancellationToken.None);

        var problem = Assert.Single(verify.Problems);
        Assert.Equal((ArchiveProblemKind.LedgerMismatch, entries[2].Entry.Id, "asr-per-route_544.csv"), (problem.Kind, problem.EntryId, problem.FileName));
        Assert.Contains(TempArchive.Files("oct")[0].Sha256, problem.Detail, StringComparison.Ordinal);
        // Against itself the newest entry looks fine: only the ledger (or an offline head) shows the rewrite.
        Assert.True(selfOnly.Ok);
    }

    [Fact]
    public async Task Verify_MiddleEntryRewrittenWithItsLedgerRows_BreaksTheChain()
    {
        var entries = await ThreeMonthsAsync();
        var forged = "route,attempts\r\nFR-Mobile,0\r\n";
        ForgeCsvAndManifest(entries[1], forged);
        var bytes = Encoding.UTF8.GetBytes(forged);
        await _archive.ExecuteSqlAsync("UPDATE cr_run_artifacts SET sha256 = @sha, bytes = @bytes WHERE archive_path = @path",
            ("sha", TempArchive.Sha(bytes)), ("bytes", (long)bytes.Length), ("path", entries[1].Entry.Path + "/asr-per-route_544.csv"));

        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        var problem = Assert.Single(verify.Problems);
        Assert.Equal((ArchiveProblemKind.ChainBroken, entries[2].Entry.Id), (problem.Kind, problem.EntryId));
        Assert.Contains(entries[1].Entry.Path, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("rewritten", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MiddleEntryRemovedWithItsLedgerRows_BreaksTheChain()
    {
        var entries = await ThreeMonthsAsync();
        Directory.Move(entries[1].FullPath, Path.Combine(_archive.Parent, "gone"));
        await _archive.ExecuteSqlAsync("DELETE FROM cr_run_artifacts WHERE archive_path LIKE @prefix", ("prefix", entries[1].Entry.Path + "/%"));

        var verify = await _archive.CliAsync("verify");

        Assert.Equal(CliApp.Failed, verify.Code);
        Assert.Contains($"chainbroken  {entries[2].Entry.Id}", verify.Out, StringComparison.Ordinal);
        Assert.Contains("chain position 2 of 'monthly-acme'", verify.Out, StringComparison.Ordinal);
        Assert.Contains("was removed", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryAddedOutsideAnyRun_IsReported()
    {
        await ThreeMonthsAsync();
        var added = await _archive.Store.StoreAsync(TempArchive.Run(month: 7), TempArchive.Files("jul"), CancellationToken.None);

        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        var problem = Assert.Single(verify.Problems);
        Assert.Equal((ArchiveProblemKind.NotInLedger, added.Entry.Id), (problem.Kind, problem.EntryId));
    }

    [Fact]
    public async Task Verify_FileAddedToManifestAndFolder_IsReportedAsNotInTheLedger()
    {
        var entries = await ThreeMonthsAsync();
        var extra = Encoding.UTF8.GetBytes("extra");
        await File.WriteAllBytesAsync(Path.Combine(entries[2].FullPath, "extra.csv"), extra);
        TempArchive.EditManifest(entries[2].FullPath, m => m["files"]!.AsArray().Add(new JsonObject
        {
            ["fileName"] = "extra.csv", ["contentType"] = "text/csv", ["bytes"] = extra.Length, ["sha256"] = TempArchive.Sha(extra),
        }));

        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        var problem = Assert.Single(verify.Problems);
        Assert.Equal((ArchiveProblemKind.Unexpected, "extra.csv"), (problem.Kind, problem.FileName));
        Assert.Contains("ledger", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LedgerRecordsTheArtifactsOwnName_MatchedToTheNameTheStoreGaveIt()
    {
        var files = new[] { new CarrierReports.Rendering.Artifact("csv", "asr per route ✓.csv", "text/csv", Encoding.UTF8.GetBytes("route\r\n")) };
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), files);

        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        Assert.Equal("asr_per_route__.csv", Assert.Single(stored.Entry.Files).FileName);
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
    }

    [Fact]
    public async Task TamperedFile_SameSizeByteFlip_IsCaughtByTheHash()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        var pdf = Path.Combine(stored.FullPath, "asr-per-route_544.pdf");
        var bytes = await File.ReadAllBytesAsync(pdf);
        bytes[bytes.Length / 2] ^= 0x01;
        TempArchive.WriteOver(pdf, bytes);

        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);
        var get = await _archive.CliAsync("get", stored.Entry.Id, "--out", Path.Combine(_archive.Parent, "out"));

        var problem = Assert.Single(verify.Problems);
        Assert.Equal((ArchiveProblemKind.Changed, "asr-per-route_544.pdf"), (problem.Kind, problem.FileName));
        Assert.Contains($"({bytes.Length} bytes) but the manifest records {TempArchive.Files()[1].Sha256} ({bytes.Length} bytes)", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(CliApp.Failed, get.Code);
        Assert.False(Directory.Exists(Path.Combine(_archive.Parent, "out")));
    }

    [Fact]
    public async Task UnchainedEntryFromBeforeTheChain_StillVerifies_AndANewChainStartsBesideIt()
    {
        var old = await _archive.StoreAndRecordAsync(TempArchive.Run(month: 9), TempArchive.Files("old"));
        // What an entry written before this change looks like: no chain fields at all.
        TempArchive.EditManifest(old.FullPath, m =>
        {
            m.Remove("chainSequence");
            m.Remove("previousEntrySha256");
        });
        var next = await _archive.StoreAndRecordAsync(TempArchive.Run(month: 10), TempArchive.Files("new"));

        var verify = await _archive.CliAsync("verify");

        Assert.Equal(1, next.Entry.ChainSequence);
        Assert.Equal(CliApp.Ok, verify.Code);
        Assert.Contains("unchained   1 entries written before hash chaining", verify.Out, StringComparison.Ordinal);
        Assert.Contains($"chain-head  monthly-acme  #1  {ManifestSha(next)}", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_IsLoggedSoVerifyStaysOk_AndTheChainContinuesAfterIt()
    {
        var entries = await ThreeMonthsAsync();
        var headBefore = ManifestSha(entries[2]);

        var removed = await _archive.Store.PurgeAsync(TimeSpan.FromDays(30), ArchiveAge.PeriodEnd, dryRun: false, CancellationToken.None);
        var verify = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);
        var next = await _archive.StoreAndRecordAsync(TempArchive.Run(month: 11), TempArchive.Files("nov"));
        var after = await _archive.Store.VerifyAsync(await _archive.LedgerAsync(), CancellationToken.None);

        Assert.Equal([entries[0].Entry.Id, entries[1].Entry.Id], removed.Select(e => e.Id));
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
        Assert.Equal(2, verify.Purged);
        Assert.Equal(headBefore, Assert.Single(verify.Heads).EntrySha256);
        Assert.Equal((4L, headBefore), (next.Entry.ChainSequence!.Value, next.Entry.PreviousEntrySha256));
        Assert.True(after.Ok, string.Join("\n", after.Problems));
    }

    [Fact]
    public async Task Store_ConcurrentlyForOneSubscription_NeverForksTheChain()
    {
        var runs = Enumerable.Range(1, 8).Select(m => _archive.Store.StoreAsync(TempArchive.Run(month: m), TempArchive.Files($"m{m}"), CancellationToken.None));

        var stored = await Task.WhenAll(runs);
        var verify = await _archive.Store.VerifyAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), stored.Select(s => s.Entry.ChainSequence!.Value).Order());
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
        Assert.Equal(8, Assert.Single(verify.Heads).Sequence);
    }
}
