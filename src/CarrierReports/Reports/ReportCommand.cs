using System.CommandLine;
using CarrierReports.Cli;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Reports;

/// <summary><c>report</c>: one ASR per Route report for one carrier, written to a folder.</summary>
public static class ReportCommand
{
    private sealed record Options(Option<string?> Carrier, Option<string?> Range, Option<string?> From, Option<string?> To, Option<string?> Tz,
        Option<string?> Bucket, Option<string?> Format, Option<string?> Out, Option<string?> AsOf);

    public static Command Create(CliContext cli)
    {
        var o = new Options(
            CliOptions.Text("--carrier", "The carrier id, as stored in the CDR carrier column (required).", "id"),
            CliOptions.Text("--range", "A range expression such as previous-month, previous-day or now-7d..now.", "expr"),
            CliOptions.Text("--from", "Start of the period (local time in --tz), e.g. 2026-10-01; give with --to instead of --range.", "time"),
            CliOptions.Text("--to", "End of the period, excluded.", "time"),
            CliOptions.Text("--tz", "IANA time zone of the period and the buckets, e.g. Europe/London (required).", "zone"),
            CliOptions.Text("--bucket", "hour, day or month. Default day.", "size"),
            CliOptions.Text("--format", "Comma-separated formats: csv, pdf, xlsx. Default csv.", "list"),
            CliOptions.Text("--out", "Folder to write the files into. Default out.", "dir"),
            CliOptions.Text("--as-of", "The instant that 'now' means in --range (default: the clock).", "instant"));
        var command = new Command("report", "Write one ASR per Route report.")
        {
            o.Carrier, o.Range, o.From, o.To, o.Tz, o.Bucket, o.Format, o.Out, o.AsOf,
        };
        command.SetAction((parse, ct) => cli.RunAsync(parse, s => s.AddReportFeatures(), services => RunAsync(parse, o, services, cli.Out, cli.Error, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Options o, IServiceProvider services, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var request = ParseRequest(parse, o, services.GetRequiredService<IConfiguration>(), time.GetUtcNow());
        var formats = ReportFormats.ParseList(parse.GetValue(o.Format) ?? "csv", "--format");
        var outDir = parse.GetValue(o.Out) ?? "out";

        // The change against the previous period appears only in the PDF and the workbook: CSV alone skips its query.
        var report = await services.GetRequiredService<AsrPerRouteService>().RunAsync(request, formats.Any(f => f != ReportFormatKind.Csv), cancellationToken);
        await using var artifacts = await services.GetRequiredService<ReportArtifacts>().RenderAsync(report, formats, new RenderOptions(), cancellationToken);
        var paths = await WriteAsync(artifacts, outDir, cancellationToken);
        await ConsoleSummary.WriteAsync(report, paths, stdout);
        foreach (var warning in ConsoleSummary.DataWarnings(report))
        {
            // Also on stderr, where scripts look for trouble.
            await stderr.WriteLineAsync("warning: " + warning);
        }

        return ExitCodes.Ok;
    }

    private static AsrPerRouteRequest ParseRequest(ParseResult parse, Options o, IConfiguration configuration, DateTimeOffset clock)
    {
        var carrier = parse.Require(o.Carrier, "the carrier id, as stored in the CDR carrier column");
        var zone = Zones.Find(parse.Require(o.Tz, "an IANA time zone such as Europe/London"), "--tz");
        var bucket = BucketSizes.Parse(parse.GetValue(o.Bucket) ?? "day", "--bucket");
        var now = parse.GetValue(o.AsOf) is { } asOf ? RangeExpression.ResolvePoint(asOf, zone, clock, "--as-of") : clock;

        ReportPeriod period;
        if (parse.Has(o.Range))
        {
            if (parse.Has(o.From) || parse.Has(o.To))
            {
                throw new InputException("--range", "give either --range or --from/--to, not both");
            }

            period = RangeExpression.Resolve(parse.GetValue(o.Range), zone, now);
        }
        else if (parse.Has(o.From) || parse.Has(o.To))
        {
            period = RangeExpression.Resolve(parse.GetValue(o.From), parse.GetValue(o.To), zone, now);
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
            await using (var source = artifact.OpenRead())
            await using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81_920, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(target, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
            paths.Add(path);
        }

        return paths;
    }
}
