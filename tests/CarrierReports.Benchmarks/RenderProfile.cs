using System.Diagnostics;
using System.Globalization;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;
using CarrierReports.Time;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CarrierReports.Benchmarks;

/// <summary>
/// <c>render-profile pdf day|hour N</c>: where a PDF render's time goes. Times each part the renderer is made of on its
/// own (the two charts, the whole render, the reproducibility pass over the saved bytes), as wall and as process CPU
/// time, because CPU time is far less disturbed by other jobs on a shared machine than wall time.
/// </summary>
public static class RenderProfile
{
    public static async Task<int> RunAsync(string bucketName, int runs, CancellationToken cancellationToken)
    {
        var bucket = BucketSizes.Parse(bucketName, "bucket");
        var report = RenderBenchmark.Report(bucket, routes: 40);
        var options = new RenderOptions();
        options = options with { Texts = new TemplateRenderer(TimeProvider.System).RenderReportTexts(report, options, cancellationToken) };
        PdfFonts.EnsureRegistered();
        var routes = PdfCharts.TopRoutes(report, options.TopRoutes);
        byte[] pdf = [];
        var parts = new (string Name, Func<Task> Run)[]
        {
            ("charts: both, vectors on a page of their own", () =>
            {
                Charts(report, routes, options);
                return Task.CompletedTask;
            }),
            ("whole render", async () =>
            {
                using var output = new MemoryStream();
                await new PdfReportRenderer().RenderAsync(report, options, output, cancellationToken);
                pdf = output.ToArray();
            }),
            ("reproducibility pass over the bytes", () =>
            {
                PdfReproducible.Normalize(pdf.ToArray());
                return Task.CompletedTask;
            }),
        };
        var wall = parts.Select(_ => new List<double>()).ToArray();
        var cpu = parts.Select(_ => new List<double>()).ToArray();
        using var self = Process.GetCurrentProcess();
        for (var round = 0; round < runs + 2; round++)
        {
            for (var i = 0; i < parts.Length; i++)
            {
                self.Refresh();
                var cpu0 = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await parts[i].Run();
                var elapsed = watch.Elapsed.TotalMilliseconds;
                self.Refresh();
                if (round >= 2)
                {
                    wall[i].Add(elapsed);
                    cpu[i].Add((self.TotalProcessorTime - cpu0).TotalMilliseconds);
                }
            }
        }

        // To look at what was measured: RENDER_PROFILE_PDF=/tmp/hour.pdf, then pdftoppm -r 80 -png.
        if (Environment.GetEnvironmentVariable("RENDER_PROFILE_PDF") is { Length: > 0 } path)
        {
            await File.WriteAllBytesAsync(path, pdf, cancellationToken);
        }

        Console.WriteLine($"PDF {bucketName}, {report.Rows.Count:N0} rows, {pdf.Length / 1024.0:N0} KB; {runs} runs after 2 discarded; load {LoadAverage()}");
        Console.WriteLine("| part | median wall ms | min wall ms | median CPU ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var i = 0; i < parts.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {parts[i].Name} | {Median(wall[i]):N0} | {wall[i].Min():N0} | {Median(cpu[i]):N0} |"));
        }

        return 0;
    }

    /// <summary>The two charts drawn into a throw-away one-page document, saved so its content is written too.</summary>
    private static void Charts(AsrPerRouteReport report, IReadOnlyList<string> routes, RenderOptions options)
    {
        using var document = new PdfDocument();
        var style = new PdfStyle();
        using (var gfx = XGraphics.FromPdfPage(document.AddPage()))
        {
            PdfCharts.AsrByRoute(gfx, style, new XRect(PdfStyle.Left, 40, PdfStyle.ContentWidth, 232), report, routes, options);
            PdfCharts.Attempts(gfx, style, new XRect(PdfStyle.Left, 300, PdfStyle.ContentWidth, 232), report);
        }

        document.Save(Stream.Null, closeStream: false);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
