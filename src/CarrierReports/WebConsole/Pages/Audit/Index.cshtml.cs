using System.Globalization;
using CarrierReports.Audit;
using CarrierReports.Web;
using CarrierReports.WebConsole.Pages.Runs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Audit;

/// <summary>
/// <c>/audit</c> (auditor, admin): the audit trail newest first with the API's filters, a CSV export of exactly the
/// filtered rows (itself audited, as <c>audit.export</c>) and the hash chain check (<c>audit.verify</c>).
/// </summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class AuditIndexModel(AuditSearch search, AuditTrail trail) : ConsolePageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)] public string? ActorName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Target { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public long? Next { get; private set; }
    public AuditVerification? Verification { get; private set; }
    public bool Filtered => new[] { ActorName, Action, Target, From, To }.Any(v => !string.IsNullOrWhiteSpace(v));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Filter() is { } filter)
        {
            var page = await search.QueryAsync(filter with { After = After, Limit = PageSize, NewestFirst = true }, cancellationToken);
            Entries = page.Entries;
            Next = page.Next;
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (Filter() is not { } filter)
        {
            await OnGetAsync(cancellationToken);
            return Page();
        }

        // Recorded before the rows are read, so the export's own row says it happened even if the browser goes away.
        await trail.AppendAsync(WebAudit.Read(HttpContext, "audit.export", null) with
        {
            After = AuditRecord.Json(new { actor = ActorName, action = Action, target = Target, from = filter.From, to = filter.To }),
        }, cancellationToken);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false));
        await AuditCsv.WriteAsync(writer, search.ReadAllAsync(filter with { Limit = 500 }, cancellationToken), cancellationToken);
        await writer.FlushAsync(cancellationToken);
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Verification = await trail.VerifyAsync(cancellationToken);
        await trail.AppendAsync(WebAudit.Read(HttpContext, "audit.verify", null) with { Outcome = Verification.Intact ? AuditRecord.Success : "broken" },
            cancellationToken);
        await OnGetAsync(cancellationToken);
        return Page();
    }

    /// <summary>This view's URL with another cursor or handler.</summary>
    public string Query(long? after, string? handler = null) => ConsoleUrls.With(ConsoleUrls.Audit, ("actorName", ActorName), ("action", Action),
        ("target", Target), ("from", From), ("to", To), ("after", after?.ToString(CultureInfo.InvariantCulture)), ("handler", handler));

    private AuditFilter? Filter()
    {
        try
        {
            var from = Display.Day(From, nameof(From));
            var to = Display.Day(To, nameof(To))?.AddDays(1);
            if (from is { } f && to is { } t && t <= f)
            {
                throw new InputException(nameof(To), $"{To} is before {From}; the end date is included, so it may equal the start");
            }

            return new AuditFilter(Blank(ActorName), Blank(Action), Blank(Target), from, to);
        }
        catch (InputException ex)
        {
            AddFieldError(ex);
            return null;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
