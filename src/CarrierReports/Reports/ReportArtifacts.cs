using System.Globalization;
using System.Text;
using System.Text.Json;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;

namespace CarrierReports.Reports;

/// <summary>Renders a report to the requested formats and names the files consistently.</summary>
public sealed class ReportArtifacts(IEnumerable<IReportRenderer> renderers, TemplateRenderer templates)
{
    private readonly Dictionary<ReportFormatKind, IReportRenderer> _renderers = renderers.ToDictionary(r => r.Format);

    /// <summary>
    /// Renders each format straight into a file of a new temporary folder, so memory does not grow with the files.
    /// The caller owns the returned set and disposes it (which deletes the files) once they are archived or sent.
    /// </summary>
    public async Task<ArtifactSet> RenderAsync(AsrPerRouteReport report, IReadOnlyList<ReportFormatKind> formats, RenderOptions options, CancellationToken cancellationToken)
    {
        // The text blocks come from the (user-editable) templates, rendered once so every format says the same; CSV has none.
        if (options.Texts is null && formats.Any(f => f != ReportFormatKind.Csv))
        {
            options = options with { Texts = templates.RenderReportTexts(report, options, cancellationToken) };
        }

        var folder = ArtifactFolder.Create();
        try
        {
            var list = await RenderFilesAsync(folder, report, formats, options, cancellationToken);
            list.Add(Manifest(report, BaseName(report), list));
            return new ArtifactSet(folder, list);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private async Task<List<Artifact>> RenderFilesAsync(ArtifactFolder folder, AsrPerRouteReport report, IReadOnlyList<ReportFormatKind> formats, RenderOptions options, CancellationToken cancellationToken)
    {
        var baseName = BaseName(report);
        var list = new List<Artifact>();
        foreach (var format in formats)
        {
            if (!_renderers.TryGetValue(format, out var renderer))
            {
                throw new InputException("format", $"{format.ToString().ToLowerInvariant()} output is not available in this build");
            }

            list.Add(await folder.WriteAsync(format.ToString().ToLowerInvariant(), baseName + format.Extension(), format.ContentType(),
                (stream, ct) => renderer.RenderAsync(report, options, stream, ct), cancellationToken));
            if (format == ReportFormatKind.Csv)
            {
                list.Add(await folder.WriteAsync("csv-totals", baseName + ".totals.csv", "text/csv",
                    (stream, ct) => AsrCsvWriter.WriteTotalsAsync(report, stream, ct), cancellationToken));
            }
        }

        return list;
    }

    /// <summary>
    /// <c>asr-per-route_{carrier}_{local from}_{local to}_{bucket}</c>, e.g. <c>asr-per-route_544_2026-10-01_2026-11-01_day</c>;
    /// times appear only when the period does not start and end at midnight. Unsafe characters become <c>_</c>.
    /// </summary>
    public static string BaseName(AsrPerRouteReport report)
    {
        var p = report.Request.Period;
        static string Stamp(DateTimeOffset t) => t.TimeOfDay == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HHmm", CultureInfo.InvariantCulture);
        var name = $"{AsrPerRouteReport.ReportType}_{report.Request.Carrier}_{Stamp(p.LocalFrom)}_{Stamp(p.LocalTo)}_{report.Request.Bucket.ToString().ToLowerInvariant()}";
        var safe = new StringBuilder(name.Length);
        foreach (var ch in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_');
        }

        return safe.ToString();
    }

    /// <summary>What the files are: the period in local time and exact UTC bounds, the definitions, and each file's SHA-256.</summary>
    private static Artifact Manifest(AsrPerRouteReport report, string baseName, IReadOnlyList<Artifact> files)
    {
        var p = report.Request.Period;
        var manifest = new
        {
            report = AsrPerRouteReport.ReportType,
            carrier = report.Request.Carrier,
            carrierName = report.Request.CarrierName,
            range = p.Expression,
            timeZone = p.ZoneId,
            localFrom = ReportFormat.LocalTime(p.LocalFrom),
            localTo = ReportFormat.LocalTime(p.LocalTo),
            utcFrom = ReportFormat.UtcTime(p.UtcFrom),
            utcTo = ReportFormat.UtcTime(p.UtcTo),
            bucket = report.Request.Bucket.ToString().ToLowerInvariant(),
            answeredRule = report.AnsweredRule,
            definitions = new { asrPct = "answered / attempts × 100", acdSec = "answered seconds / answered calls", minutes = "answered seconds / 60" },
            negativeDurationRows = report.NegativeDurationRows,
            unreadableStartRows = report.Issues.UnreadableStartRows,
            answerValuesOutsideLists = new { rows = report.Issues.UnlistedAnswerRows, values = report.Issues.UnlistedAnswerValues },
            carrierInTable = !report.Issues.CarrierNotInTable,
            similarCarriers = report.Issues.SimilarCarriers,
            rows = report.Rows.Count,
            generatedAt = ReportFormat.UtcTime(report.GeneratedAt),
            files = files.Select(f => new { fileName = f.FileName, format = f.Format, bytes = f.Length, sha256 = f.Sha256 }),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return new Artifact("manifest", baseName + ".manifest.json", "application/json", json);
    }
}
