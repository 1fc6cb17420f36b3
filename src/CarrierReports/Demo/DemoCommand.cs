using CarrierReports.Cdr;
using CarrierReports.Cli;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;
using CarrierReports.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Demo;

/// <summary>
/// <c>demo</c>: no configuration, no server. Creates the sample SQLite store, writes the previous month (daily) and
/// the previous day (hourly) ASR per Route reports for the demo carrier, then lets a demo subscription fire through the
/// real scheduler: mail into a pickup folder, files into the archive, a row in the run ledger.
/// </summary>
public static class DemoCommand
{
    public static readonly string[] Options = ["--out", "--tz", "--as-of", "--data"];

    public static async Task<int> RunAsync(CommandArgs args, IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var zone = Zones.Find(args.Get("--tz") ?? "Europe/London", "--tz");
        var now = args.Get("--as-of") is { } asOf ? RangeExpression.ResolvePoint(asOf, zone, time.GetUtcNow(), "--as-of") : time.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var dataPath = args.Get("--data") ?? Path.Combine("data", "demo-cdr.db");
        var outDir = args.Get("--out") ?? "out";

        var rows = await DemoData.CreateAsync(dataPath, zone, now, cancellationToken);
        await stdout.WriteLineAsync($"Sample CDR store: {dataPath} ({rows:N0} CDRs, carriers {string.Join(", ", DemoData.CarrierNames.Keys)}, table '{DemoData.Table}')");

        var source = new SqliteCdrSource(new CdrSourceOptions
        {
            Provider = CdrProvider.Sqlite,
            ConnectionString = $"Data Source={dataPath}",
            Table = DemoData.Table,
        });
        var reports = new AsrPerRouteService(source, time);
        var artifacts = services.GetRequiredService<ReportArtifacts>();
        var templates = services.GetRequiredService<TemplateRenderer>();
        var formats = services.GetServices<IReportRenderer>().Select(r => r.Format).Order().ToList();
        var carrier = DemoData.MainCarrier;

        foreach (var (range, bucket) in new[] { ("previous-month", BucketSize.Day), ("previous-day", BucketSize.Hour) })
        {
            var period = RangeExpression.Resolve(range, zone, now);
            var request = new AsrPerRouteRequest(carrier, DemoData.CarrierNames[carrier], period, bucket);
            var report = await reports.RunAsync(request, cancellationToken);
            var options = new RenderOptions();
            var files = await artifacts.RenderAsync(report, formats, options, cancellationToken);
            var paths = await ReportCommand.WriteAsync(files, outDir, cancellationToken);

            // The mail body the scheduled run would send, as a file a person can open in a browser.
            var mail = templates.RenderMail(report, options, files, MailExtras.None, cancellationToken);
            var mailPath = Path.Combine(outDir, ReportArtifacts.BaseName(report) + ".mail.html");
            await File.WriteAllTextAsync(mailPath, mail.HtmlBody, cancellationToken);
            paths = [.. paths, mailPath];
            await stdout.WriteLineAsync();
            await ConsoleSummary.WriteAsync(report, paths, stdout);
        }

        await DemoLoop.RunAsync(dataPath, outDir, Path.GetDirectoryName(Path.GetFullPath(dataPath))!, now, stdout, cancellationToken);
        return CliApp.Ok;
    }
}
