using System.CommandLine;
using CarrierReports.Cli;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Scheduling;
using CarrierReports.Templating;
using CarrierReports.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Demo;

/// <summary>
/// <c>demo</c>: no configuration, no server. Creates the sample SQLite store, writes the previous month (daily) and
/// the previous day (hourly) ASR per Route reports for the demo carrier, then lets a demo subscription fire through the
/// real scheduler: mail into a pickup folder, files into the archive, a row in the run ledger. One host, built from the
/// demo's own settings file, does both halves, exactly as <c>report</c> and <c>serve</c> would with that file.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var outDir = CliOptions.Text("--out", "Folder for the reports, the mail and the archive. Default out.", "dir");
        var tz = CliOptions.Text("--tz", "Time zone of the demo's reports. Default Europe/London.", "zone");
        var asOf = CliOptions.Text("--as-of", "The instant the demo treats as now (default: the clock).", "instant");
        var data = CliOptions.Text("--data", "The sample SQLite CDR store to create. Default data/demo-cdr.db.", "file");
        var command = new Command("demo", "Create a sample SQLite CDR store in ./data and write example reports into ./out.") { outDir, tz, asOf, data };
        command.SetAction((parse, ct) => RunAsync(cli, parse, new Paths(parse.GetValue(outDir) ?? "out", parse.GetValue(data) ?? Path.Combine("data", "demo-cdr.db")), parse.GetValue(tz), parse.GetValue(asOf), ct));
        return command;
    }

    private sealed record Paths(string Out, string Data);

    private static async Task<int> RunAsync(CliContext cli, ParseResult parse, Paths paths, string? tz, string? asOf, CancellationToken cancellationToken)
    {
        var stdout = cli.Out;
        var zone = Zones.Find(tz ?? "Europe/London", "--tz");
        if (asOf is not null)
        {
            // Checked now, before the settings file and the store are written; resolved below against the host's clock.
            RangeExpression.ResolvePoint(asOf, zone, TimeProvider.System.GetUtcNow(), "--as-of");
        }

        var settingsPath = await DemoLoop.WriteSettingsAsync(paths.Data, paths.Out, Path.GetDirectoryName(Path.GetFullPath(paths.Data))!, cancellationToken);
        using var host = cli.BuildHost(parse, b => b.Services.AddScheduling(b.Configuration), configFile: settingsPath);
        var services = host.Services;
        await services.GetRequiredService<Storage.SchemaMigrator>().MigrateAsync(cancellationToken);
        var clock = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var now = asOf is not null ? RangeExpression.ResolvePoint(asOf, zone, clock, "--as-of") : clock;
        now = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

        var rows = await DemoData.CreateAsync(paths.Data, zone, now, cancellationToken);
        await stdout.WriteLineAsync($"Sample CDR store: {paths.Data} ({rows:N0} CDRs, carriers {string.Join(", ", DemoData.CarrierNames.Keys)}, table '{DemoData.Table}')");

        var reports = services.GetRequiredService<AsrPerRouteService>();
        var artifacts = services.GetRequiredService<ReportArtifacts>();
        var templates = services.GetRequiredService<TemplateRenderer>();
        var formats = services.GetServices<IReportRenderer>().Select(r => r.Format).Order().ToList();
        var carrier = DemoData.MainCarrier;
        foreach (var (range, bucket) in new[] { ("previous-month", BucketSize.Day), ("previous-day", BucketSize.Hour) })
        {
            var period = RangeExpression.Resolve(range, zone, now);
            var report = await reports.RunAsync(new AsrPerRouteRequest(carrier, DemoData.CarrierNames[carrier], period, bucket), cancellationToken);
            var options = new RenderOptions();
            await using var files = await artifacts.RenderAsync(report, formats, options, cancellationToken);
            var written = await ReportCommand.WriteAsync(files, paths.Out, cancellationToken);

            // The mail body the scheduled run would send, as a file a person can open in a browser.
            var mail = templates.RenderMail(report, options, files, MailExtras.None, cancellationToken);
            var mailPath = Path.Combine(paths.Out, ReportArtifacts.BaseName(report) + ".mail.html");
            await File.WriteAllTextAsync(mailPath, mail.HtmlBody, cancellationToken);
            await stdout.WriteLineAsync();
            await ConsoleSummary.WriteAsync(report, [.. written, mailPath], stdout);
        }

        await DemoLoop.RunAsync(host, paths.Out, now, stdout, cancellationToken);
        return ExitCodes.Ok;
    }
}
