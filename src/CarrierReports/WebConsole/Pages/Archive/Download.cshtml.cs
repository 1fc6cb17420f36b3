using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Archive;

/// <summary>
/// <c>/archive/{entry}/files/{file}</c>: the archived file, first copied out with the archive's checked export and only
/// streamed when its SHA-256 matched (as the API's download); a mismatch renders this page with the problem instead of
/// the bytes. Both outcomes are audited as <c>archive.download</c>.
/// </summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class ArchiveDownloadModel(ArchiveStore store, AuditTrail trail) : ConsolePageModel
{
    public ArchiveEntry Entry { get; private set; } = null!;
    public string FileName { get; private set; } = "";
    public IReadOnlyList<ArchiveProblem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string entry, string file, CancellationToken cancellationToken)
    {
        var found = await ArchiveEntryModel.FindAsync(store, entry, Actor.Scope, cancellationToken);
        var archived = found?.Files.FirstOrDefault(f => f.FileName == file);
        if (found is null || archived is null)
        {
            return NotFound();
        }

        Entry = found;
        FileName = archived.FileName;
        var target = $"{found.Id}/{archived.FileName}";
        var temp = Directory.CreateTempSubdirectory("carrierreports-download-").FullName;
        Response.RegisterForDispose(new TempFolder(temp));
        var export = await store.ExportAsync(found.Id, temp, cancellationToken);
        if (!export.Ok)
        {
            await trail.AppendAsync(new AuditRecord(Actor, "archive.download", target, ClientAddress: HttpContext.ClientAddress(), Outcome: "integrity-error"),
                cancellationToken);
            Problems = export.Problems;
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status500InternalServerError;
            return Page();
        }

        await trail.AppendAsync(new AuditRecord(Actor, "archive.download", target, ClientAddress: HttpContext.ClientAddress()), cancellationToken);
        Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(archived.Sha256))}:";
        var stream = new FileStream(Path.Combine(temp, archived.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous);
        return File(stream, archived.ContentType, archived.FileName);
    }

    /// <summary>Deletes the checked copy once the response is sent (or abandoned).</summary>
    private sealed class TempFolder(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Still open on some platform: the OS temp cleaner takes it; the copy matched the archive anyway.
            }
        }
    }
}
