using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Archive;

/// <summary>
/// <c>/api/v1/archive</c>, for auditors and admins: search, entry detail, file download and verification. Every view
/// and download is audited. A download is first copied out with its SHA-256 checked (the archive's own export), and
/// only a file that matched is streamed: a changed file is an error, never a silent bad download.
/// </summary>
public static class ArchiveEndpoints
{
    public static IEndpointRouteBuilder MapArchiveEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/archive").RequireAuthorization(Policies.Auditor).WithTags("Archive");
        group.MapGet("/", SearchAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/files/{fileName}", DownloadAsync);
        group.MapPost("/verify", VerifyAllAsync);
        group.MapPost("/{id}/verify", VerifyOneAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ArchiveStore store, string? carrier, string? subscription,
        DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var scope = context.Actor().Scope;
        var listing = await store.ListWithProblemsAsync(cancellationToken);
        var items = listing.Entries
            .Where(e => scope.Allows(e.Run.Carrier) && (carrier is null || e.Run.Carrier == carrier) && (subscription is null || e.Run.Subscription == subscription)
                        && (from is null || e.Run.UtcFrom >= from) && (to is null || e.Run.UtcTo <= to))
            .Select(ArchiveEntryView.From)
            .ToList();
        return TypedResults.Ok(new ArchiveSearchView(items, listing.Problems.Count));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, ArchiveStore store, AuditTrail trail, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var entry = await FindAsync(store, id, actor.Scope, cancellationToken);
        if (entry is null)
        {
            return NotFound(id);
        }

        await trail.AppendAsync(new AuditRecord(actor, "archive.view", entry.Id, ClientAddress: context.ClientAddress()), cancellationToken);
        return TypedResults.Ok(ArchiveEntryView.From(entry));
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, string id, string fileName, ArchiveStore store, AuditTrail trail,
        CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var entry = await FindAsync(store, id, actor.Scope, cancellationToken);
        var file = entry?.Files.FirstOrDefault(f => f.FileName == fileName);
        if (entry is null || file is null)
        {
            return entry is null ? NotFound(id) : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"archive entry {id} has no file '{fileName}'");
        }

        var target = $"{entry.Id}/{file.FileName}";
        var temp = Directory.CreateTempSubdirectory("carrierreports-download-").FullName;
        context.Response.RegisterForDispose(new TempFolder(temp));
        var export = await store.ExportAsync(entry.Id, temp, cancellationToken);
        if (!export.Ok)
        {
            await trail.AppendAsync(new AuditRecord(actor, "archive.download", target, ClientAddress: context.ClientAddress(), Outcome: "integrity-error"), cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The archived file does not match its recorded size and SHA-256",
                detail: string.Join("; ", export.Problems.Select(p => $"{p.FileName ?? p.Path}: {p.Detail}")), extensions: new Dictionary<string, object?>
                {
                    ["problems"] = export.Problems.Select(ArchiveProblemView.From).ToList(),
                });
        }

        await trail.AppendAsync(new AuditRecord(actor, "archive.download", target, ClientAddress: context.ClientAddress()), cancellationToken);
        context.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(file.Sha256))}:";
        var stream = new FileStream(Path.Combine(temp, file.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous);
        return TypedResults.File(stream, file.ContentType, file.FileName);
    }

    private static async Task<IResult> VerifyAllAsync(HttpContext context, ArchiveStore store, ArchivedArtifacts ledger, AuditTrail trail, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var result = await store.VerifyAsync(await ledger.ListAsync(cancellationToken), cancellationToken);
        var problems = result.Problems.Where(p => Visible(p, actor.Scope)).Select(ArchiveProblemView.From).ToList();
        await trail.AppendAsync(new AuditRecord(actor, "archive.verify", null, ClientAddress: context.ClientAddress(),
            Outcome: result.Ok ? AuditRecord.Success : "problems"), cancellationToken);
        return TypedResults.Ok(new ArchiveVerifyView(problems.Count == 0, result.Entries, result.Files, result.LedgerChecked, problems));
    }

    private static async Task<IResult> VerifyOneAsync(HttpContext context, string id, ArchiveStore store, ArchivedArtifacts ledger, AuditTrail trail,
        CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var entry = await FindAsync(store, id, actor.Scope, cancellationToken);
        if (entry is null)
        {
            return NotFound(id);
        }

        var result = await store.VerifyAsync(await ledger.ListAsync(cancellationToken), cancellationToken);
        var problems = result.Problems.Where(p => p.EntryId == entry.Id || p.Path == entry.Path).Select(ArchiveProblemView.From).ToList();
        await trail.AppendAsync(new AuditRecord(actor, "archive.verify", entry.Id, ClientAddress: context.ClientAddress(),
            Outcome: problems.Count == 0 ? AuditRecord.Success : "problems"), cancellationToken);
        return TypedResults.Ok(new ArchiveVerifyView(problems.Count == 0, 1, entry.Files.Count, result.LedgerChecked, problems));
    }

    /// <summary>The entry with this id inside the caller's scope; null otherwise (also for an id that is not one).</summary>
    private static async Task<ArchiveEntry?> FindAsync(ArchiveStore store, string id, CarrierScope scope, CancellationToken cancellationToken)
    {
        var key = id.Trim().ToLowerInvariant();
        var entry = (await store.ListAsync(cancellationToken)).FirstOrDefault(e => e.Id == key);
        return entry is not null && scope.Allows(entry.Run.Carrier) ? entry : null;
    }

    /// <summary>A problem is shown to a scoped caller only when its path is under one of their carriers' folders.</summary>
    private static bool Visible(ArchiveProblem p, CarrierScope scope) =>
        scope.IsAll || scope.Carriers.Any(c => p.Path.StartsWith(c + "/", StringComparison.Ordinal));

    private static IResult NotFound(string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"archive entry '{id}' does not exist");

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
