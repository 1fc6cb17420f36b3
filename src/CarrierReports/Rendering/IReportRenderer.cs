using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.Rendering;

/// <summary>Turns a finished report into one document format.</summary>
public interface IReportRenderer
{
    ReportFormatKind Format { get; }

    Task RenderAsync(AsrPerRouteReport report, RenderOptions options, Stream output, CancellationToken cancellationToken);
}
