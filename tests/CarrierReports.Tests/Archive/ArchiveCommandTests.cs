using CarrierReports.Tests.Support;
using CarrierReports.Archive;
using CarrierReports.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Archive;

public sealed class ArchiveCommandTests : IDisposable
{
    private readonly TempArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(
            ["archive", .. args], stdout, stderr,
            _archive.Settings,
            services => services.AddSingleton<TimeProvider>(_archive.Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task List_ShowsTableAndFilters()
    {
        var october = await _archive.Store.StoreAsync(TempArchive.Run(month: 10), TempArchive.Files(), CancellationToken.None);
        var other = await _archive.Store.StoreAsync(TempArchive.Run(carrier: "777", subscription: "daily-beta", month: 9), TempArchive.Files(), CancellationToken.None);

        var all = await Run("list");
        var byCarrier = await Run("list", "--carrier", "777");
        var fromOctober = await Run("list", "--from", "2026-10-01");
        var none = await Run("list", "--subscription", "nope");

        Assert.Equal(CliApp.Ok, all.Code);
        var lines = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^id +carrier +subscription +period +files +stored-at$", lines[0].TrimEnd());
        Assert.Contains(lines, l => l.StartsWith(october.Entry.Id, StringComparison.Ordinal)
            && l.Contains("2026-10-01 to 2026-11-01 day (Europe/London)", StringComparison.Ordinal)
            && l.Contains("2026-11-02T06:00:00Z", StringComparison.Ordinal));
        Assert.Contains(other.Entry.Id, byCarrier.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(october.Entry.Id, byCarrier.Out, StringComparison.Ordinal);
        Assert.Contains(october.Entry.Id, fromOctober.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Entry.Id, fromOctober.Out, StringComparison.Ordinal);
        Assert.Contains("No archive entries match", none.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CopiesFiles_AndRefusesTamperedEntry()
    {
        var stored = await _archive.Store.StoreAsync(TempArchive.Run(), TempArchive.Files(), CancellationToken.None);
        var outDir = Path.Combine(_archive.Parent, "out1");

        var ok = await Run("get", stored.Entry.Id, "--out", outDir);

        Assert.Equal(CliApp.Ok, ok.Code);
        Assert.Equal(TempArchive.Files()[1].Bytes(), await File.ReadAllBytesAsync(Path.Combine(outDir, "asr-per-route_544.pdf")));
        Assert.Contains(TempArchive.Files()[1].Sha256, ok.Out, StringComparison.Ordinal);

        var pdf = Path.Combine(stored.FullPath, "asr-per-route_544.pdf");
        File.SetAttributes(pdf, FileAttributes.Normal);
        await File.WriteAllTextAsync(pdf, "%PDF-1.7 forged");
        var refusedDir = Path.Combine(_archive.Parent, "out2");

        var refused = await Run("get", stored.Entry.Id, "--out", refusedDir);

        Assert.Equal(CliApp.Failed, refused.Code);
        Assert.Contains("refused  asr-per-route_544.pdf", refused.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(refusedDir));
    }

    [Fact]
    public async Task Get_UnknownId_IsBadInput()
    {
        var result = await Run("get", "abcdefabcdef", "--out", Path.Combine(_archive.Parent, "x"));

        Assert.Equal(CliApp.BadInput, result.Code);
        Assert.Contains("error: id: no archive entry has id 'abcdefabcdef'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExitsOneOnMissingFile()
    {
        var stored = await _archive.StoreAndRecordAsync(TempArchive.Run(), TempArchive.Files());
        Assert.Equal(CliApp.Ok, (await Run("verify")).Code);
        var csv = Path.Combine(stored.FullPath, "asr-per-route_544.csv");
        File.SetAttributes(csv, FileAttributes.Normal);
        File.Delete(csv);

        var result = await Run("verify");

        Assert.Equal(CliApp.Failed, result.Code);
        Assert.Contains("missing", result.Out, StringComparison.Ordinal);
        Assert.Contains("asr-per-route_544.csv", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_RemovesOlderEntriesAndPrintsThem()
    {
        var old = await _archive.Store.StoreAsync(TempArchive.Run(month: 1), TempArchive.Files(), CancellationToken.None);
        var recent = await _archive.Store.StoreAsync(TempArchive.Run(month: 10), TempArchive.Files(), CancellationToken.None);

        var result = await Run("purge", "--older-than", "90");

        Assert.Equal(CliApp.Ok, result.Code);
        Assert.Contains($"removed  {old.Entry.Id}", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(recent.Entry.Id, result.Out, StringComparison.Ordinal);
        Assert.Equal([recent.Entry.Id], (await _archive.Store.ListAsync(CancellationToken.None)).Select(e => e.Id));
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "archive: 'frobnicate' is not a sub-command")]
    [InlineData(new string[0], "archive: needs a sub-command")]
    [InlineData(new[] { "list", "--out", "x" }, "--out: is not an option of 'archive list'")]
    [InlineData(new[] { "purge" }, "--older-than: is required")]
    [InlineData(new[] { "purge", "--older-than", "soon" }, "--older-than: 'soon' is not a number of days")]
    [InlineData(new[] { "purge", "--older-than", "30", "--by", "mtime" }, "--by: 'mtime' is not period-end or stored-at")]
    [InlineData(new[] { "list", "--from", "01/10/2026" }, "--from: '01/10/2026' is not a date")]
    public async Task BadArguments_NameTheField(string[] args, string error)
    {
        var result = await Run(args);

        Assert.Equal(CliApp.BadInput, result.Code);
        Assert.Contains("error: " + error, result.Err, StringComparison.Ordinal);
    }
}
