using CarrierReports.Rendering;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Cli;

/// <summary><c>report</c>: one ASR per Route report for one carrier, written to a folder.</summary>
public static class ReportCommand
{
    public static readonly string[] Options = ["--carrier", "--range", "--from", "--to", "--tz", "--bucket", "--format", "--out", "--as-of", "--config"];

    public static async Task<int> RunAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var request = ParseRequest(args, services.GetRequiredService<IConfiguration>(), time.GetUtcNow());
        var formats = ReportFormats.ParseList(args.Get("--format") ?? "csv", "--format");
        var outDir = args.Get("--out") ?? "out";

        // The change against the previous period appears only in the PDF and the workbook: CSV alone skips its query.
        var report = await services.GetRequiredService<AsrPerRouteService>().RunAsync(request, formats.Any(f => f != ReportFormatKind.Csv), cancellationToken);
        var artifacts = await services.GetRequiredService<ReportArtifacts>().RenderAsync(report, formats, new RenderOptions(), cancellationToken);
        var paths = await WriteAsync(artifacts, outDir, cancellationToken);
        await ConsoleSummary.WriteAsync(report, paths, stdout);
        return CliApp.Ok;
    }

    internal static AsrPerRouteRequest ParseRequest(CommandArgs args, IConfiguration configuration, DateTimeOffset clock)
    {
        var carrier = args.Require("--carrier", "the carrier id, as stored in the CDR carrier column");
        var zone = Zones.Find(args.Require("--tz", "an IANA time zone such as Europe/London"), "--tz");
        var bucket = BucketSizes.Parse(args.Get("--bucket") ?? "day", "--bucket");
        var now = args.Get("--as-of") is { } asOf ? RangeExpression.ResolvePoint(asOf, zone, clock, "--as-of") : clock;

        ReportPeriod period;
        if (args.Has("--range"))
        {
            if (args.Has("--from") || args.Has("--to"))
            {
                throw new InputException("--range", "give either --range or --from/--to, not both");
            }

            period = RangeExpression.Resolve(args.Get("--range"), zone, now);
        }
        else if (args.Has("--from") || args.Has("--to"))
        {
            period = RangeExpression.Resolve(args.Get("--from"), args.Get("--to"), zone, now);
        }
        else
        {
            throw new InputException("--range", "is required (e.g. previous-month), or give --from and --to");
        }

        return new AsrPerRouteRequest(carrier, CarrierNames.Lookup(configuration, carrier), period, bucket);
    }

    /// <summary>Writes the files; a file of the same name is replaced only once the new one is complete.</summary>
    internal static async Task<IReadOnlyList<string>> WriteAsync(IReadOnlyList<Artifact> artifacts, string outDir, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException("--out", $"cannot create folder '{outDir}': {ex.Message}", ex);
        }

        var paths = new List<string>();
        foreach (var artifact in artifacts)
        {
            var path = Path.Combine(outDir, artifact.FileName);
            var temp = path + ".tmp";
            await File.WriteAllBytesAsync(temp, artifact.Content, cancellationToken);
            File.Move(temp, path, overwrite: true);
            paths.Add(path);
        }

        return paths;
    }
}
