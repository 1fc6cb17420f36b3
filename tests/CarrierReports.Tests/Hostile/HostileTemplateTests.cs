using System.Text.Json;

namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Issue 9, "Also": hostile template files, reached the way an operator does, through <c>subscriptions validate
/// --file</c> of a subscription whose template folder holds them. Each is refused with exit 2 and one <c>error:</c> line
/// naming the template file and the reason; nothing stored changes.
/// </summary>
public sealed class HostileTemplateTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    /// <summary>The template file, its hostile content, what the error line must contain after the file's path.</summary>
    public static TheoryData<string, string, string> Templates => new()
    {
        { "mail-subject.sbn", "{{ if }}", "template does not parse" },
        { "mail-subject.sbn", "{{ for x in 1..3 }}no end", "template does not parse" },
        { "report-title.sbn", "{{ end }}", "template does not parse" },
        { "report-title.sbn", "{{ no_such_variable.field.deeper }}", "" },
        { "report-footer.sbn", "{{ for i in 1..100000 }}x{{ end }}", "" },
        { "report-footer.sbn", "{{ for i in 1..1000 }}{{ for j in 1..1000 }}x{{ end }}{{ end }}", "" },
        { "mail-body.txt.sbn", "{{ include 'mail-subject.sbn' }}", "" },
        { "mail-body.txt.sbn", "{{ include '/etc/passwd' }}", "" },
        { "mail-body.txt.sbn", "{{ import '/etc' }}", "" },
        { "mail-body.html.sbn", "{{ func f; ret f; end; f }}", "" },
        { "mail-body.html.sbn", "{{ s = 'x'; for i in 1..20; s = s + s; end; s }}", "" },
        { "report-title.sbn", "   ", "the template rendered no text" },
        { "report-notes.sbn", "\u0000\u0001{{ else }}", "template does not parse" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task HostileTemplate_IsRefused_NamingTheFile(string name, string content, string reason)
    {
        var folder = Path.Combine(world.Scratch, "templates-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "templates"), "*.sbn"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, name), content);
        var subscription = HostileWorld.GoodSubscription("acme-templates");
        subscription["TemplateFolder"] = folder;
        var path = world.WriteScratch("templates.json", JsonSerializer.Serialize(subscription));
        var before = world.Fingerprint();

        var result = await world.CliAsync(null, "subscriptions", "validate", "--file", path);

        HostileWorld.AssertRefused(result, $"error: {Path.Combine(folder, name)}: {reason}");
        Assert.Equal(before, world.Fingerprint());
    }
}
