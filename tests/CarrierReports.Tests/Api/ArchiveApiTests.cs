using CarrierReports.Access;
using System.Net;
using System.Security.Cryptography;
using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Rendering;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>Archive downloads over HTTP: the file as stored, its digest, an audit row; a changed file is an error, never a download.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ArchiveApiTests(PostgresFixture pg)
{
    /// <summary>Stores one entry with a CSV file for the subscription, as a delivered run would; returns its id.</summary>
    internal static async Task<string> StoreEntryAsync(ApiHost host, string subscription, string carrier)
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var run = new ArchiveRun($"run-{subscription}", subscription, carrier, "previous-day", "UTC", from, from.AddDays(1), "hour", ["csv"], from.AddDays(1));
        var content = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("bucket,route,attempts\n2026-11-01T00:00Z,A,10\n", 5000)));
        var stored = await host.Get<ArchiveStore>().StoreAsync(run, [new Artifact("csv", "report.csv", "text/csv", content)], CancellationToken.None);
        return stored.Entry.Id;
    }

    [Fact]
    public async Task Download_StreamsTheCheckedFile_AndATamperedFileIsAnError()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var id = await StoreEntryAsync(host, "daily-544", "544");
        var auditor = await host.KeyClientAsync(Role.Auditor);
        var entry = await host.Get<ArchiveStore>().GetAsync(id, CancellationToken.None);
        var file = Assert.Single(entry.Files);

        var search = await auditor.GetJsonAsync("/api/v1/archive?carrier=544&subscription=daily-544");
        Assert.Equal(id, Assert.Single(search.Body.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        using (var ok = await auditor.GetAsync($"/api/v1/archive/{id}/files/{file.FileName}"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var bytes = await ok.Content.ReadAsByteArrayAsync();
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", ok.Headers.GetValues("Repr-Digest").Single());
        }

        // Someone with access to the disk changes one byte; the size stays the same.
        var path = Path.Combine(host.Get<ArchiveStore>().FullPath(entry), file.FileName);
        File.SetAttributes(path, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var tampered = await File.ReadAllBytesAsync(path);
        tampered[^5] ^= 0x01;
        await File.WriteAllBytesAsync(path, tampered);

        using (var bad = await auditor.GetAsync($"/api/v1/archive/{id}/files/{file.FileName}"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var body = await bad.Content.ReadAsStringAsync();
            Assert.Contains("SHA-256", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("2026-11-01T00:00Z,A,10", body, StringComparison.Ordinal);
        }

        var verify = await auditor.SendAsync(HttpMethod.Post, $"/api/v1/archive/{id}/verify");
        Assert.False(verify.Body.GetProperty("ok").GetBoolean());

        var audit = (await host.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "archive.*"), CancellationToken.None)).Entries;
        Assert.Equal([("archive.download", "success"), ("archive.download", "integrity-error"), ("archive.verify", "problems")],
            audit.Select(e => (e.Action, e.Outcome)));
        Assert.All(audit, e => Assert.StartsWith("auditor", e.Actor, StringComparison.Ordinal));
    }
}
