using System.Globalization;
using CarrierReports.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using MimeKit;
using UglyToad.PdfPig;

namespace CarrierReports.Tests.Demo;

/// <summary>The README's first command, run in a temp folder: every output exists and the formats agree.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_WritesAgreeingReportsAndDeliversThroughTheScheduler()
    {
        using var dir = new TempFolder();
        var outDir = Path.Combine(dir.Path, "out");
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>(), "demo", "--out", outDir, "--data", Path.Combine(dir.Path, "data", "demo-cdr.db"), "--as-of", "2026-11-27T09:00:00Z");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);

        const string baseName = "asr-per-route_544_2026-10-01_2026-11-01_day";
        foreach (var ext in new[] { ".csv", ".totals.csv", ".pdf", ".xlsx", ".manifest.json", ".mail.html" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, baseName + ext)), baseName + ext);
        }

        // The carrier total in the totals CSV is what the PDF, the XLSX and the mail body show.
        var carrier = (await File.ReadAllLinesAsync(Path.Combine(outDir, baseName + ".totals.csv"))).Single(l => l.StartsWith("carrier,", StringComparison.Ordinal)).Split(',');
        var attempts = long.Parse(carrier[2], CultureInfo.InvariantCulture);
        var asr = Math.Round(decimal.Parse(carrier[4], CultureInfo.InvariantCulture), 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, baseName + ".mail.html"));
        Assert.Contains(attempts.ToString("N0", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains(asr + " %", html, StringComparison.Ordinal);

        using (var pdf = PdfDocument.Open(Path.Combine(outDir, baseName + ".pdf")))
        {
            var first = pdf.GetPage(1).Text;
            Assert.Contains(attempts.ToString("N0", CultureInfo.InvariantCulture), first, StringComparison.Ordinal);
            Assert.Contains(asr + " %", first, StringComparison.Ordinal);
        }

        using (var xlsx = SpreadsheetDocument.Open(Path.Combine(outDir, baseName + ".xlsx"), false))
        {
            Assert.Equal(["Summary", "Data", "Routes", "About"], xlsx.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value!));
        }

        // The subscription fired through the scheduler: a mail per recipient in the pickup folder, an archive entry.
        Assert.Contains("succeeded", result.Stdout, StringComparison.Ordinal);
        var mails = Directory.GetFiles(Path.Combine(outDir, "mail"), "*.eml");
        Assert.Equal(2, mails.Length);
        var message = await MimeMessage.LoadAsync(mails[0]);
        Assert.Contains(message.Attachments, a => a.ContentDisposition?.FileName == "asr-per-route_544_2026-11-26_2026-11-27_hour.pdf");
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "archive"), "archive-entry.json", SearchOption.AllDirectories));

        var verify = await CliRunner.RunAsync(new Dictionary<string, string?>(), "archive", "verify", "--config", Path.Combine(outDir, "demo.settings.json"));
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
    }
}
