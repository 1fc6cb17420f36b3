using System.Reflection;
using CarrierReports.Rendering;
using CarrierReports.Templating;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace CarrierReports.Tests.Templating;

/// <summary>
/// The template sandbox has two layers that each keep a template from reading another file: the <c>include</c>
/// built-in is removed, and there is no template loader. Each layer is tested on its own, so that
/// losing either one fails a test even while the other still blocks the read.
/// </summary>
public sealed class TemplateSandboxTests
{
    private static readonly TemplateRenderer Renderer = new(TimeProvider.System);

    [Theory]
    [InlineData("{{ include 'report-footer.sbn' }}")]
    [InlineData("{{ include '/etc/passwd' }}")]
    [InlineData("{{ x = include; x 'report-footer.sbn' }}")]
    public void BuiltinsLayer_Include_IsAnUnknownName(string template)
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, template);

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        // Refused because the name does not exist, not because a later check (the missing loader) stopped it.
        Assert.Equal(folder.FileOf(TemplateFolder.ReportTitle), ex.Field);
        Assert.Contains("`include` was not found", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("TemplateLoader", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderLayer_WithIncludePutBack_StillCannotReadAFile()
    {
        var context = SandboxContext();
        // Undo the first layer by hand: Scriban's own include function, taken from a default context.
        context.BuiltinObject.SetValue("include", new TemplateContext().BuiltinObject["include"], readOnly: false);
        var footer = Path.Combine(TemplateFolder.ResolveDefault(), TemplateFolder.ReportFooter);
        var template = Template.Parse($"{{{{ include '{footer}' }}}}");

        var ex = Assert.Throws<ScriptRuntimeException>(() => template.Render(context));

        Assert.Contains("TemplateLoader", ex.OriginalMessage, StringComparison.Ordinal);
    }

    /// <summary>
    /// The context the renderer builds for every template. It is private to <see cref="TemplateSet"/>; reflection keeps
    /// this test from needing a seam in the product, and fails loudly if the method is renamed.
    /// </summary>
    private static TemplateContext SandboxContext()
    {
        var method = typeof(TemplateSet).GetMethod("Sandbox", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new Xunit.Sdk.XunitException("TemplateSet.Sandbox(TemplateLimits) not found: point this test at the method that builds the template context");
        return (TemplateContext)method.Invoke(null, [TemplateLimits.Default])!;
    }
}
