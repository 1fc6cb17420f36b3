using System.Globalization;
using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace CarrierReports.Templating;

/// <summary>
/// The parsed templates of one folder. Parsing happens once, in <see cref="Load"/>, so a broken template is reported
/// when the folder is first used (or at start-up via <see cref="TemplateRenderer.Validate"/>), not in the middle of a run.
/// </summary>
public sealed class TemplateSet
{
    private readonly Dictionary<string, ParsedTemplate> _templates;

    private TemplateSet(string folder, Dictionary<string, ParsedTemplate> templates)
    {
        Folder = folder;
        _templates = templates;
    }

    /// <summary>Full path of the folder the templates came from.</summary>
    public string Folder { get; }

    /// <summary>Reads and parses every file of <see cref="TemplateFolder.Files"/> from <paramref name="folder"/>.</summary>
    /// <exception cref="InputException">The folder or a file is missing, or a template does not parse; the message names the file, line and column.</exception>
    public static TemplateSet Load(string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(full))
        {
            throw new InputException("TemplateFolder", $"template folder '{full}' does not exist");
        }

        var templates = new Dictionary<string, ParsedTemplate>(StringComparer.Ordinal);
        foreach (var name in TemplateFolder.Files)
        {
            var path = Path.Combine(full, name);
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new InputException(path, $"template file '{name}' is missing from '{full}'", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InputException(path, $"cannot read template file: {ex.Message}", ex);
            }

            var template = Template.Parse(text, path);
            if (template.HasErrors)
            {
                var errors = template.Messages.Where(m => m.Type == ParserMessageType.Error).ToList();
                var shown = string.Join("; ", errors.Take(3).Select(m => $"{Where(m.Span)}: {m.Message}"));
                var more = errors.Count > 3 ? $" (and {errors.Count - 3} more errors)" : "";
                throw new InputException(path, $"template does not parse: {shown}{more}");
            }

            templates[name] = new ParsedTemplate(path, template);
        }

        return new TemplateSet(full, templates);
    }

    /// <summary>Renders one template of the set with the sandbox settings; returns the text as produced.</summary>
    /// <exception cref="InputException">The template failed, hit a limit or took too long; the message names the file and line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal string Render(string name, TemplateModel model, TemplateLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var parsed = _templates[name];
        cancellationToken.ThrowIfCancellationRequested();
        var context = Sandbox(limits);
        var globals = new ScriptObject();
        globals.Import(model);
        context.PushGlobal(globals);

        // The clock starts once the context is built: setting up Scriban's built-in functions is our cost, not the template's.
        using var timeout = new CancellationTokenSource(limits.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        context.CancellationToken = linked.Token;
        try
        {
            return parsed.Template.Render(context);
        }
        catch (Exception ex) when (ex is ScriptAbortException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InputException(parsed.Path, $"rendering took longer than the {limits.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s limit", ex);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new InputException(parsed.Path, $"{Where(ex.Span)}: {ex.OriginalMessage}", ex);
        }
    }

    /// <summary>
    /// A context that cannot reach outside the model: no template loader and no include/import (so no other file can
    /// be read), bounded loops, recursion, output and time, and unknown names are errors rather than empty text.
    /// </summary>
    private static TemplateContext Sandbox(TemplateLimits limits)
    {
        var context = new TemplateContext
        {
            TemplateLoader = null,
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = limits.LoopLimit,
            LoopLimitQueryable = limits.LoopLimit,
            RecursiveLimit = limits.RecursiveLimit,
            OutputLimit = limits.OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            LimitToString = limits.OutputLimit,
            OnStringLimit = ScriptLimitBehavior.Throw,
            RegexTimeOut = limits.Timeout,
            NewLine = "\n",
        };
        context.BuiltinObject.Remove("include");
        context.BuiltinObject.Remove("import");
        context.PushCulture(CultureInfo.InvariantCulture);
        return context;
    }

    /// <summary>Scriban spans are 0-based; people (and editors) count from 1.</summary>
    private static string Where(SourceSpan span) => $"line {span.Start.Line + 1}, column {span.Start.Column + 1}";

    private sealed record ParsedTemplate(string Path, Template Template);
}
