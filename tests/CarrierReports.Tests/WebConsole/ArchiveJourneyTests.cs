using System.Security.Cryptography;
using CarrierReports.Access;
using CarrierReports.Archive;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.WebConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CarrierReports.Tests.WebConsole;

/// <summary>
/// Issue 11, journey 3: an auditor finds the archived report of a run, downloads the PDF (its SHA-256 equals the
/// ledger's), verifies the entry, and finds their own download in the audit log; no edit control is offered anywhere.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ArchiveJourneyTests(PostgresFixture pg, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Auditor_FindsTheRunsArchivedPdf_DownloadsIt_Verifies_AndSeesTheDownloadAudited()
    {
        var delivered = await DeliveredRun.StartAsync(pg, browser);
        await using var site = delivered.Site;
        var auditor = await site.Host.CreateUserAsync(Role.Auditor);
        var page = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(page, auditor.Name);

        // Runs: filtered by subscription and status, as the Overview links do.
        await page.GotoAsync($"/runs?subscription={DeliveredRun.Subscription}&status=succeeded");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();
        await site.CheckPageAsync(page, "runs-auditor");
        await page.GetByRole(AriaRole.Link, new() { Name = $"run of {DeliveredRun.Subscription}" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(delivered.RunId);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = delivered.Pdf.Sha256 }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "noc@example.com" }).First).ToBeVisibleAsync();
        await AssertNoEditControlsAsync(page);
        await site.CheckPageAsync(page, "run-detail-auditor");

        // The archive link of the PDF leads to the entry with its files and hashes.
        await page.GetByRole(AriaRole.Link, new() { Name = delivered.Pdf.ArchiveId! }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(delivered.Pdf.ArchiveId!);
        await site.CheckPageAsync(page, "archive-entry");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = $"Download {delivered.Pdf.FileName}" }).ClickAsync());
        var saved = Path.Combine(site.Host.Dir.Path, "downloaded.pdf");
        await download.SaveAsAsync(saved);
        Assert.Equal(delivered.Pdf.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(saved))));
        Assert.Equal(delivered.Pdf.FileName, download.SuggestedFilename);

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify this entry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Verified: no problem");
        await site.CheckPageAsync(page, "archive-entry-verified");

        // Search by carrier, subscription and period; verify all.
        await page.GotoAsync("/archive?carrier=1&subscription=daily-1&from=2026-10-31&to=2026-11-02");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = delivered.Pdf.ArchiveId! })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the whole archive" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Verified: no problem");
        await site.CheckPageAsync(page, "archive");
        await page.GotoAsync("/archive?carrier=2");
        await Expect(page.GetByText("No archived report matches")).ToBeVisibleAsync();

        // Their own download, in the audit log.
        await page.GotoAsync($"/audit?actorName={auditor.Name}&action=archive.*");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "archive.download" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync($"{delivered.Pdf.ArchiveId}/{delivered.Pdf.FileName}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Chain intact");
        await site.CheckPageAsync(page, "audit");
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csvText = await File.ReadAllTextAsync(await csv.PathAsync());
        Assert.StartsWith(CarrierReports.Audit.AuditCsv.Header, csvText, StringComparison.Ordinal);
        Assert.Contains("archive.download", csvText, StringComparison.Ordinal);

        // Recipients: read only for an auditor.
        await page.GotoAsync("/recipients?address=NOC@example.com");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = DeliveredRun.Subscription })).ToBeVisibleAsync();
        await AssertNoEditControlsAsync(page);
        await site.CheckPageAsync(page, "recipients-auditor");
        site.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task ChangedArchiveFile_IsRefusedWithTheReason_NeverItsBytes_AndScopeHidesOtherCarriers()
    {
        var delivered = await DeliveredRun.StartAsync(pg, browser);
        await using var site = delivered.Site;
        var store = site.Host.Get<ArchiveStore>();
        var entry = await store.GetAsync(delivered.Pdf.ArchiveId!, CancellationToken.None);
        var csv = entry.Files.First(f => f.FileName.EndsWith(".csv", StringComparison.Ordinal));
        var path = Path.Combine(store.FullPath(entry), csv.FileName);
        File.SetAttributes(path, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var page = await site.SignedInPageAsync(Role.Auditor);
        var refused = await page.Context.APIRequest.GetAsync($"/archive/{entry.Id}/files/{csv.FileName}");
        Assert.Equal(500, refused.Status);
        var body = await refused.TextAsync();
        Assert.Contains("Download refused", body, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(bytes[..40]), body, StringComparison.Ordinal);

        await page.GotoAsync($"/archive/{entry.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify this entry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(csv.FileName);
        await site.CheckPageAsync(page, "archive-entry-problem");

        // An auditor of another carrier: the entry and the run do not exist for them.
        var other = await site.SignedInPageAsync(Role.Auditor, CarrierScope.Of(["2"]));
        Assert.Equal(404, (await other.Context.APIRequest.GetAsync($"/archive/{entry.Id}")).Status);
        Assert.Equal(404, (await other.Context.APIRequest.GetAsync($"/runs/{delivered.RunId}")).Status);
        Assert.Equal(404, (await other.Context.APIRequest.GetAsync($"/archive/{entry.Id}/files/{delivered.Pdf.FileName}")).Status);
        await other.GotoAsync("/runs");
        await Expect(other.GetByText("No runs yet")).ToBeVisibleAsync();
        site.AssertNoBrowserErrors();
    }

    /// <summary>No control that changes something: no retry, resend, replace, remove, create, disable or revoke.</summary>
    private static async Task AssertNoEditControlsAsync(IPage page)
    {
        foreach (var name in new[] { "Retry", "Resend", "Replace", "Remove", "Create", "Disable", "Revoke", "Edit", "Save" })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = name })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToHaveCountAsync(0);
        }
    }
}
