using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.Reports;

/// <summary>
/// <c>GET /api/v1/reports/asr-per-route</c>: the <c>report</c> command over HTTP, for every reader. JSON rows and
/// totals, or one rendered file (csv, pdf, xlsx), which is audited as an export. A carrier outside the caller's scope
/// answers 404. Bad parameters name the query parameter with the CLI's words (<c>--tz</c> becomes <c>tz</c>).
/// </summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/asr-per-route", AsrPerRouteAsync).RequireAuthorization(Policies.Viewer).WithTags("Reports");
        return app;
    }

    private static async Task<IResult> AsrPerRouteAsync(HttpContext context, AsrPerRouteService service, ReportArtifacts artifacts, AuditTrail trail,
        IConfiguration configuration, TimeProvider time, string? carrier, string? range, string? from, string? to, string? tz, string? bucket,
        string? format, string? asOf, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        if (string.IsNullOrWhiteSpace(carrier))
        {
            throw new InputException("carrier", "is required: the carrier id, as stored in the CDR carrier column");
        }

        if (!actor.Scope.Allows(carrier))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"carrier '{carrier}' does not exist");
        }

        var request = WithQueryNames(() => Request(configuration, time.GetUtcNow(), carrier, range, from, to, tz, bucket, asOf));
        var kind = format is null or "json" ? (ReportFormatKind?)null : WithQueryNames(() => ReportFormats.ParseList(format, "format"))[0];
        var report = await service.RunAsync(request, cancellationToken);
        if (kind is null)
        {
            return TypedResults.Ok(AsrPerRouteView.From(report));
        }

        var files = await artifacts.RenderAsync(report, [kind.Value], new RenderOptions(), cancellationToken);
        // The file is streamed from the run's temporary folder, which is deleted once the response is complete.
        context.Response.RegisterForDisposeAsync(files);
        var file = files[0];
        await trail.AppendAsync(new AuditRecord(actor, "reports.export", $"{AsrPerRouteReport.ReportType}/{carrier}",
            After: AuditRecord.Json(new { file.FileName, file.Format, Bytes = file.Length, file.Sha256, report.Request.Period.Expression }),
            ClientAddress: context.ClientAddress()), cancellationToken);
        return TypedResults.File(file.OpenRead(), file.ContentType, file.FileName);
    }

    private static AsrPerRouteRequest Request(IConfiguration configuration, DateTimeOffset clock, string carrier, string? range, string? from, string? to,
        string? tz, string? bucket, string? asOf)
    {
        var zone = Zones.Find(string.IsNullOrWhiteSpace(tz) ? throw new InputException("tz", "is required: an IANA time zone such as Europe/London") : tz, "tz");
        var size = BucketSizes.Parse(bucket ?? "day", "bucket");
        var now = asOf is null ? clock : RangeExpression.ResolvePoint(asOf, zone, clock, "asOf");
        ReportPeriod period = (range, from ?? to) switch
        {
            ({ }, { }) => throw new InputException("range", "give either range or from/to, not both"),
            ({ } r, null) => RangeExpression.Resolve(r, zone, now, "range"),
            (null, { }) => RangeExpression.Resolve(from, to, zone, now),
            _ => throw new InputException("range", "is required (e.g. previous-month), or give from and to"),
        };
        return new AsrPerRouteRequest(carrier, CarrierNames.Lookup(configuration, carrier), period, size);
    }

    /// <summary>The shared parsers name the CLI flags; over HTTP the same words name the query parameters.</summary>
    private static T WithQueryNames<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InputException ex) when (ex.Field.StartsWith("--", StringComparison.Ordinal))
        {
            throw new InputException(ex.Field[2..], ex.Reason.Replace("--", "", StringComparison.Ordinal), ex);
        }
    }
}
