using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.Rendering.Csv;

public sealed class CsvReportRenderer : IReportRenderer
{
    public ReportFormatKind Format => ReportFormatKind.Csv;

    public Task RenderAsync(AsrPerRouteReport report, RenderOptions options, Stream output, CancellationToken cancellationToken) =>
        AsrCsvWriter.WriteAsync(report, output, cancellationToken);
}
