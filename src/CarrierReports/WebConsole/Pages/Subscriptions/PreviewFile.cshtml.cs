using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// A stashed preview's HTML body (for the editor's sandboxed frame) or one of its files (<c>?file=</c>). The mail's
/// HTML is the templates' output, which may carry inline styles but must never run anything: its own policy allows
/// inline styles and data: images only, sandboxes the document, and lets only this site frame it.
/// </summary>
public sealed class PreviewFileModel(MailPreviewStash stash) : ConsolePageModel
{
    public const string MailPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

    public IActionResult OnGet(string token, string? file)
    {
        var entry = stash.Find(token, Actor.Name);
        if (entry is null)
        {
            return NotFound();
        }

        if (file is null)
        {
            Response.Headers.ContentSecurityPolicy = MailPolicy;
            Response.Headers.XFrameOptions = "SAMEORIGIN";
            return Content(entry.HtmlBody, "text/html; charset=utf-8");
        }

        var found = entry.Files.FirstOrDefault(f => f.FileName == file);
        if (found is null)
        {
            return NotFound();
        }

        // Inline, so the browser shows a PDF in its viewer; the name is kept for "save as".
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = true, FileName = found.FileName }.ToString();
        return File(found.Content, found.ContentType);
    }

    public static string FileUrl(string token, string? file = null) =>
        ConsoleUrls.With($"{ConsoleUrls.Subscriptions}/preview/{Uri.EscapeDataString(token)}", ("file", file));
}
