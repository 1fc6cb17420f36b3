using CarrierReports.Templating;

namespace CarrierReports.Tests.Templating;

public sealed class TemplateSetTests
{
    [Fact]
    public void Load_DefaultFolder_ParsesEveryTemplate()
    {
        var set = TemplateSet.Load(TemplateFolder.ResolveDefault());

        Assert.Equal(TemplateFolder.DefaultName, Path.GetFileName(set.Folder));
        Assert.All(TemplateFolder.Files, name => Assert.True(File.Exists(Path.Combine(set.Folder, name)), name));
    }

    [Fact]
    public void Load_ParseError_NamesFileLineAndColumn()
    {
        // The missing operand is where "}}" starts: line 2, column 10 counting from 1 (Scriban's span says 1 and 9).
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportNotes, "first line\n  {{ 1 + }}\n");

        var ex = Assert.Throws<InputException>(() => TemplateSet.Load(folder.Path));

        Assert.Equal(folder.FileOf(TemplateFolder.ReportNotes), ex.Field);
        Assert.Contains(TemplateFolder.ReportNotes, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("template does not parse: line 2, column 10: ", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralParseErrors_AreAllReported()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "{{ if }}");

        var ex = Assert.Throws<InputException>(() => TemplateSet.Load(folder.Path));

        Assert.Contains("line 1, column 7: ", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("; line 1, column 7: ", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        using var folder = new TempTemplateFolder();
        File.Delete(folder.FileOf(TemplateFolder.MailTextBody));

        var ex = Assert.Throws<InputException>(() => TemplateSet.Load(folder.Path));

        Assert.Equal(folder.FileOf(TemplateFolder.MailTextBody), ex.Field);
        Assert.Contains("mail-body.txt.sbn", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("missing", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-templates-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<InputException>(() => TemplateSet.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
