namespace CarrierReports.Templating;

/// <summary>The template files every template folder holds, and where the built-in folder is.</summary>
public static class TemplateFolder
{
    public const string DefaultName = "templates";

    public const string MailSubject = "mail-subject.sbn";
    public const string MailHtmlBody = "mail-body.html.sbn";
    public const string MailTextBody = "mail-body.txt.sbn";
    public const string ReportTitle = "report-title.sbn";
    public const string ReportNotes = "report-notes.sbn";
    public const string ReportFooter = "report-footer.sbn";

    public static readonly IReadOnlyList<string> Files = [MailSubject, MailHtmlBody, MailTextBody, ReportTitle, ReportNotes, ReportFooter];

    /// <summary>
    /// The nearest <c>templates/</c> folder holding the mail body template, looking in the current directory and its
    /// parents first (so edits in a checkout are used when run from there), then next to the application and above it
    /// (the build copies the folder into the output).
    /// </summary>
    /// <exception cref="InputException">No such folder exists.</exception>
    public static string ResolveDefault()
    {
        string[] starts = [Directory.GetCurrentDirectory(), AppContext.BaseDirectory];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultName);
                if (File.Exists(Path.Combine(candidate, MailHtmlBody)))
                {
                    return candidate;
                }
            }
        }

        throw new InputException(
            "TemplateFolder",
            $"no '{DefaultName}' folder with {MailHtmlBody} found in or above '{starts[0]}' or '{starts[1]}'; set the template folder explicitly");
    }
}
