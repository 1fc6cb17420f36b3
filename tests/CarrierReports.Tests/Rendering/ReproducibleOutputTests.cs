using CarrierReports.Reports;
using System.IO.Compression;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Rendering.Xlsx;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;
using CarrierReports.Time;
using CarrierReports.Tests.Rendering.Pdf;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Rendering;

/// <summary>Issue 9, item 7: the same report, template and settings give byte-identical files, whenever they are rendered.</summary>
public sealed class ReproducibleOutputTests
{
    private static async Task<ArtifactSet> RenderAsync(AsrPerRouteReport report, DateTimeOffset wallClock)
    {
        var artifacts = new ReportArtifacts([new CsvReportRenderer(), new XlsxReportRenderer(), new PdfReportRenderer()], new TemplateRenderer(new FakeTimeProvider(wallClock)));
        return await artifacts.RenderAsync(report, [ReportFormatKind.Pdf, ReportFormatKind.Xlsx, ReportFormatKind.Csv], new RenderOptions(), CancellationToken.None);
    }

    [Fact]
    public async Task SameReport_RenderedAtDifferentTimes_GivesIdenticalBytes()
    {
        var report = SampleReports.Month(BucketSize.Day, routes: 6);

        await using var first = await RenderAsync(report, new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero));
        // Zip entry times have a 2-second resolution and PDF dates 1 second: make sure the real clock moved too.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await using var second = await RenderAsync(report, new DateTimeOffset(2027, 3, 5, 17, 45, 12, TimeSpan.Zero));

        Assert.Equal(first.Select(a => a.FileName), second.Select(a => a.FileName));
        foreach (var (a, b) in first.Zip(second))
        {
            Assert.True(a.Sha256 == b.Sha256, $"{a.FileName} differs between two renders of the same report");
        }
    }

    [Fact]
    public async Task Xlsx_StatesTheReportTime_NotTheWallClock()
    {
        var report = SampleReports.Month(BucketSize.Day, routes: 3);
        await using var files = await RenderAsync(report, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var xlsx = files.Single(a => a.Format == "xlsx");

        using var zip = new ZipArchive(xlsx.OpenRead(), ZipArchiveMode.Read);
        var core = zip.Entries.Single(e => e.FullName.EndsWith(".psmdcp", StringComparison.Ordinal) || e.FullName == "docProps/core.xml");
        using var reader = new StreamReader(core.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("2026-11-01T06:00:00", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("2030-", xml, StringComparison.Ordinal);
        Assert.All(zip.Entries, e => Assert.Equal(zip.Entries[0].LastWriteTime, e.LastWriteTime));
    }

    [Fact]
    public async Task Xlsx_RouteThatLooksLikeARelationshipId_KeepsItsName()
    {
        const string route = "R0123456789abcdef";
        var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = BucketPlan.Create(TimeZoneInfo.Utc, BucketSize.Day, from, from.AddDays(1));
        var request = new AsrPerRouteRequest("1", "One", new ReportPeriod("2026-03-01", TimeZoneInfo.Utc, from, from.AddDays(1)), BucketSize.Day);
        var report = AsrPerRouteReport.Build(request, plan, [new CarrierReports.Cdr.PartialSum(0, route, 10, 5, 300m)], 0, "duration > 0", from);
        await using var files = await RenderAsync(report, from);
        var xlsx = files.Single(a => a.Format == "xlsx");

        using var zip = new ZipArchive(xlsx.OpenRead(), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/sharedStrings.xml")!.Open());
        Assert.Contains(route, await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }
}
