using System.Text.RegularExpressions;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.Templating;

/// <summary>
/// Renders the user-editable texts of a report (title, notes, footer) and its mail (subject, HTML and plain-text body)
/// from the Scriban templates of <see cref="RenderOptions.TemplateFolder"/>. Thread-safe; register as a singleton so
/// each folder is parsed once.
/// </summary>
public sealed partial class TemplateRenderer(TimeProvider time, TemplateLimits? limits = null)
{
    private readonly TemplateSetCache _cache = new();
    private readonly TemplateLimits _limits = limits ?? TemplateLimits.Default;

    /// <summary>The parsed templates of <paramref name="folder"/> (null: the default folder), from the cache.</summary>
    /// <exception cref="InputException">The folder or a file is missing, or a template does not parse.</exception>
    public TemplateSet Load(string? folder) => _cache.Get(folder);

    public ReportTexts RenderReportTexts(AsrPerRouteReport report, RenderOptions options, CancellationToken cancellationToken = default) =>
        RenderTexts(Load(options.TemplateFolder), report, options, cancellationToken);

    /// <param name="attachments">The files the mail carries (or, with <see cref="MailExtras.AttachmentsOmitted"/>, would have carried).</param>
    public MailContent RenderMail(AsrPerRouteReport report, RenderOptions options, IReadOnlyList<Artifact> attachments, MailExtras extras, CancellationToken cancellationToken = default)
    {
        var set = Load(options.TemplateFolder);
        // The caller may have rendered the report texts already (for the files); they come from the same templates.
        var texts = options.Texts ?? RenderTexts(set, report, options, cancellationToken);
        var model = TemplateModel.Create(report, options, attachments, extras, texts);
        var subject = Whitespace().Replace(set.Render(TemplateFolder.MailSubject, model, _limits, time, cancellationToken), " ").Trim();
        var html = set.Render(TemplateFolder.MailHtmlBody, model, _limits, time, cancellationToken).Trim();
        var text = set.Render(TemplateFolder.MailTextBody, model, _limits, time, cancellationToken).Trim();
        Require(set, TemplateFolder.MailSubject, subject);
        Require(set, TemplateFolder.MailHtmlBody, html);
        Require(set, TemplateFolder.MailTextBody, text);
        return new MailContent(subject, html + "\n", text + "\n");
    }

    /// <summary>
    /// For start-up: loads <paramref name="folder"/> (null: the default folder) and renders every template against
    /// built-in sample reports (with traffic, empty, attachments listed and replaced by archive references), so a typo
    /// in a variable name fails now rather than in the first scheduled run.
    /// </summary>
    /// <exception cref="InputException">A template is missing, does not parse or fails on a sample; the message names the file.</exception>
    public TemplateSet Validate(string? folder = null, CancellationToken cancellationToken = default)
    {
        var set = Load(folder);
        var options = new RenderOptions { TemplateFolder = set.Folder };
        foreach (var (report, attachments, extras) in TemplateSamples.Cases())
        {
            RenderMail(report, options, attachments, extras, cancellationToken);
        }

        return set;
    }

    private ReportTexts RenderTexts(TemplateSet set, AsrPerRouteReport report, RenderOptions options, CancellationToken cancellationToken)
    {
        var model = TemplateModel.Create(report, options, [], MailExtras.None, texts: null);
        var title = Whitespace().Replace(set.Render(TemplateFolder.ReportTitle, model, _limits, time, cancellationToken), " ").Trim();
        var notes = TrimLines(set.Render(TemplateFolder.ReportNotes, model, _limits, time, cancellationToken));
        var footer = TrimLines(set.Render(TemplateFolder.ReportFooter, model, _limits, time, cancellationToken));
        Require(set, TemplateFolder.ReportTitle, title);
        Require(set, TemplateFolder.ReportFooter, footer);
        return new ReportTexts(title, notes, footer);
    }

    /// <summary>Every document needs a title and the definitions, and a mail needs a subject and bodies; notes may be empty.</summary>
    private static void Require(TemplateSet set, string name, string rendered)
    {
        if (rendered.Length == 0)
        {
            throw new InputException(Path.Combine(set.Folder, name), "the template rendered no text");
        }
    }

    /// <summary>Trailing spaces and blank lines left by template tags are noise in a PDF or spreadsheet cell.</summary>
    private static string TrimLines(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim('\n');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
