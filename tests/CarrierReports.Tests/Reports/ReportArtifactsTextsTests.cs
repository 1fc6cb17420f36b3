using CarrierReports.Reports;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;
using CarrierReports.Tests.Templating;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Reports;

public sealed class ReportArtifactsTextsTests
{
    /// <summary>Records the options each render was given.</summary>
    private sealed class RecordingRenderer(ReportFormatKind format = ReportFormatKind.Xlsx) : IReportRenderer
    {
        public List<RenderOptions> Seen { get; } = [];

        public ReportFormatKind Format => format;

        public Task RenderAsync(AsrPerRouteReport report, RenderOptions options, Stream output, CancellationToken cancellationToken)
        {
            Seen.Add(options);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task RenderAsync_GivesRenderersTheTemplateTexts()
    {
        var recorder = new RecordingRenderer();
        var artifacts = new ReportArtifacts([recorder], new TemplateRenderer(TimeProvider.System));

        await using var files = await artifacts.RenderAsync(TemplateTestData.Busy(), [ReportFormatKind.Xlsx], new RenderOptions(), CancellationToken.None);

        var texts = Assert.Single(recorder.Seen).Texts;
        Assert.NotNull(texts);
        Assert.Equal("ASR per Route — Acme Telecom (544)", texts.Title);
        Assert.Contains("ASR % = answered / attempts × 100", texts.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_TemplateFolderFromOptions_IsUsed()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "Custom {{ carrier.id }}");
        var recorder = new RecordingRenderer();
        var artifacts = new ReportArtifacts([recorder], new TemplateRenderer(TimeProvider.System));

        await using var files = await artifacts.RenderAsync(TemplateTestData.Busy(), [ReportFormatKind.Xlsx], new RenderOptions { TemplateFolder = folder.Path }, CancellationToken.None);

        Assert.Equal("Custom 544", Assert.Single(recorder.Seen).Texts?.Title);
    }

    [Fact]
    public async Task RenderAsync_CsvOnly_RendersNoTemplateTexts()
    {
        // CSV carries no text blocks, so the (user-editable) templates are not even run for it.
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "{{ this_variable_does_not_exist.title }}");
        var recorder = new RecordingRenderer(ReportFormatKind.Csv);
        var artifacts = new ReportArtifacts([recorder], new TemplateRenderer(TimeProvider.System));

        await using var files = await artifacts.RenderAsync(TemplateTestData.Busy(), [ReportFormatKind.Csv], new RenderOptions { TemplateFolder = folder.Path }, CancellationToken.None);

        Assert.Null(Assert.Single(recorder.Seen).Texts);
    }

    [Fact]
    public void AddReports_ResolvesTemplateRendererAndArtifacts()
    {
        using var provider = new ServiceCollection().AddSingleton(TimeProvider.System).AddReports().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<TemplateRenderer>(), provider.GetRequiredService<TemplateRenderer>());
        Assert.NotNull(provider.GetRequiredService<ReportArtifacts>());
    }
}
