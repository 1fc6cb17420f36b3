using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using DocumentFormat.OpenXml.Packaging;

namespace CarrierReports.Rendering.Xlsx;

/// <summary>The content and layout of the four sheets; <see cref="XlsxSheetWriter"/> does the XML.</summary>
internal static class XlsxSheets
{
    public const string SummaryName = "Summary";
    public const string DataName = "Data";
    public const string RoutesName = "Routes";
    public const string AboutName = "About";

    public const string CarrierTotalLabel = "All routes (carrier)";

    public static readonly string[] DataHeader = ["Bucket start (local)", "UTC offset", "Route", "Attempts", "Answered", "ASR", "ACD (s)", "ACD (m:ss)", "Minutes"];
    public static readonly string[] RoutesHeader = ["Route", "Attempts", "Answered", "ASR", "ACD (s)", "ACD (m:ss)", "Minutes"];

    /// <summary>How many routes each of the best and worst lists shows.</summary>
    private const int RankedRoutes = 5;

    private const int CancellationCheckRows = 4096;

    public static string DefaultTitle(AsrPerRouteReport report) =>
        $"{AsrPerRouteReport.Title} — {report.Request.CarrierName} ({report.Request.Carrier})";

    public static string? WriteData(AsrPerRouteReport report, RenderOptions options, XlsxSharedStrings strings, WorksheetPart part, CancellationToken cancellationToken)
    {
        var lastRow = report.Rows.Count + 1;
        double[] widths = [17, 10, RouteWidth(report), 11, 11, 9, 9, 11, 12];
        using var sheet = new XlsxSheetWriter(part, strings, DataHeader.Length, lastRow, widths, frozenRows: 1, selected: false);
        Header(sheet, DataHeader);

        Bucket? bucket = null;
        var offset = "";
        var local = 0d;
        for (var i = 0; i < report.Rows.Count; i++)
        {
            if (i % CancellationCheckRows == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var row = report.Rows[i];
            if (!ReferenceEquals(row.Bucket, bucket))
            {
                bucket = row.Bucket;
                // The wall-clock reading, as Excel has no zones; the offset column keeps a repeated fall-back hour apart.
                local = bucket.LocalStart.DateTime.ToOADate();
                offset = Offset(bucket.LocalStart.Offset);
            }

            sheet.NextRow();
            sheet.Number(1, local, XlsxStyles.DateTime);
            sheet.Text(2, offset);
            sheet.Text(3, row.Route);
            WriteMetrics(sheet, 4, row.Metrics);
        }

        sheet.Finish(Range(1, 1, DataHeader.Length, lastRow), LowAsr(6, lastRow, options));
        return Range(1, 1, DataHeader.Length, lastRow);
    }

    public static string? WriteRoutes(AsrPerRouteReport report, RenderOptions options, XlsxSharedStrings strings, WorksheetPart part)
    {
        // The carrier total sits below a blank row, outside the filter range, so sorting routes never moves it.
        var lastRouteRow = report.RouteTotals.Count + 1;
        var totalRow = lastRouteRow + 2;
        double[] widths = [Math.Max(RouteWidth(report), CarrierTotalLabel.Length + 2), 11, 11, 9, 9, 11, 12];
        using var sheet = new XlsxSheetWriter(part, strings, RoutesHeader.Length, totalRow, widths, frozenRows: 1, selected: false);
        Header(sheet, RoutesHeader);
        foreach (var route in report.RouteTotals)
        {
            sheet.NextRow();
            sheet.Text(1, route.Route);
            WriteMetrics(sheet, 2, route.Metrics);
        }

        sheet.Row(totalRow);
        sheet.Text(1, CarrierTotalLabel, XlsxStyles.Bold);
        WriteMetrics(sheet, 2, report.Total);

        var filter = Range(1, 1, RoutesHeader.Length, lastRouteRow);
        sheet.Finish(filter, LowAsr(4, lastRouteRow, options));
        return filter;
    }

    public static string? WriteSummary(AsrPerRouteReport report, RenderOptions options, XlsxSharedStrings strings, WorksheetPart part)
    {
        var lines = SummaryLines(report, options);
        double[] widths = [Math.Max(RouteWidth(report), 28), 16, 16, 14, 12, 12];
        using var sheet = new XlsxSheetWriter(part, strings, widths.Length, lines.Count, widths, frozenRows: 0, selected: true);
        WriteLines(sheet, lines);
        sheet.Finish(autoFilter: null, lowValue: null);
        return null;
    }

    public static string? WriteAbout(AsrPerRouteReport report, RenderOptions options, XlsxSharedStrings strings, WorksheetPart part)
    {
        var r = report.Request;
        var p = r.Period;
        var lines = new List<Action<XlsxSheetWriter>?>();
        void Text(string name, string value) => lines.Add(s => { s.Text(1, name); s.Text(2, value); });
        void Count(string name, long value) => lines.Add(s => { s.Text(1, name); s.Integer(2, value); });

        lines.Add(s => { s.Text(1, "Parameter", XlsxStyles.Header); s.Text(2, "Value", XlsxStyles.Header); });
        Text("Report", AsrPerRouteReport.Title);
        Text("Report type", AsrPerRouteReport.ReportType);
        Text("Carrier id", r.Carrier);
        Text("Carrier name", r.CarrierName);
        Text("Range expression", p.Expression);
        Text("Time zone", p.ZoneId);
        Text("Local from (inclusive)", ReportFormat.LocalTime(p.LocalFrom));
        Text("Local to (exclusive)", ReportFormat.LocalTime(p.LocalTo));
        Text("UTC from (inclusive)", ReportFormat.UtcTime(p.UtcFrom));
        Text("UTC to (exclusive)", ReportFormat.UtcTime(p.UtcTo));
        Text("Bucket", r.Bucket.Name());
        Count("Buckets", report.Buckets.Count);
        Count("Routes", report.Routes.Count);
        Count("Data rows", report.Rows.Count);
        Text("Answered rule", report.AnsweredRule);
        Text("ASR", "answered calls / attempts, shown as a percentage; empty when there were no attempts");
        Text("ACD", "answered seconds / answered calls, in seconds and as minutes:seconds; empty when no call was answered");
        Text("Minutes", "answered seconds / 60");
        Text("Ratios", "computed from the sums of each row (never an average of averages)");
        Text("Bucket start", $"local wall-clock time in {p.ZoneId}; the UTC offset column tells apart the repeated hour when clocks go back");
        Count("CDRs with negative duration", report.NegativeDurationRows);
        Text("Negative durations", "counted as attempts, never as answered");
        Count("CDRs with unreadable start time", report.Issues.UnreadableStartRows);
        Count("CDRs with answer value outside the lists", report.Issues.UnlistedAnswerRows);
        if (report.Issues.CarrierNotInTable)
        {
            Text("Carrier in CDR table", "no rows at all" + (report.Issues.SimilarCarriers.Count > 0 ? "; similar ids: " + ReportFormat.Quoted(report.Issues.SimilarCarriers) : ""));
        }
        lines.Add(s => { s.Text(1, "ASR highlight below"); s.Number(2, options.AsrWarningThresholdPct / 100m, XlsxStyles.Percent); });
        Count("Minimum attempts to rank a route", options.MinimumSample);
        Text("Previous period", report.PreviousTotal is null ? "not computed" : "the period of equal length just before this one");
        Text("Generated at (UTC)", ReportFormat.UtcTime(report.GeneratedAt));

        double[] widths = [34, 100];
        using var sheet = new XlsxSheetWriter(part, strings, widths.Length, lines.Count, widths, frozenRows: 1, selected: false);
        WriteLines(sheet, lines);
        sheet.Finish(autoFilter: null, lowValue: null);
        return null;
    }

    private static List<Action<XlsxSheetWriter>?> SummaryLines(AsrPerRouteReport report, RenderOptions options)
    {
        var r = report.Request;
        var p = r.Period;
        var lines = new List<Action<XlsxSheetWriter>?>();
        void Text(string name, string value) => lines.Add(s => { s.Text(1, name, XlsxStyles.Bold); s.Text(2, value); });

        lines.Add(s => s.Text(1, options.Texts?.Title ?? DefaultTitle(report), XlsxStyles.Title));
        Text("Carrier", $"{r.CarrierName} ({r.Carrier})");
        Text("Period (local)", $"{ReportFormat.LocalTime(p.LocalFrom)} to {ReportFormat.LocalTime(p.LocalTo)} (end excluded)");
        Text("Time zone", p.ZoneId);
        Text("Period (UTC)", $"{ReportFormat.UtcTime(p.UtcFrom)} to {ReportFormat.UtcTime(p.UtcTo)}");
        Text("Bucket", r.Bucket.Name());
        lines.Add(null);

        var previous = report.PreviousTotal;
        lines.Add(s =>
        {
            s.Text(1, "Carrier totals", XlsxStyles.Header);
            s.Text(2, "This period", XlsxStyles.Header);
            if (previous is not null)
            {
                s.Text(3, "Previous period", XlsxStyles.Header);
                s.Text(4, "Change", XlsxStyles.Header);
                s.Text(5, "Change %", XlsxStyles.Header);
            }
        });
        foreach (var metric in SummaryMetric.All)
        {
            lines.Add(s => metric.Write(s, report.Total, previous));
        }

        if (report.IsEmpty)
        {
            lines.Add(s => s.Text(1, "No calls in this period."));
        }

        lines.Add(null);
        var ranking = RouteRanking.Of(report, options.MinimumSample);
        AddRanking(lines, $"Best routes by ASR (at least {options.MinimumSample} attempts)", ranking.BestFirst.Take(RankedRoutes), options);
        lines.Add(null);
        AddRanking(lines, $"Worst routes by ASR (at least {options.MinimumSample} attempts)", ranking.WorstFirst.Take(RankedRoutes), options);

        var notes = Lines(options.Texts?.Notes).Concat(Lines(options.Texts?.Footer)).ToList();
        if (notes.Count > 0)
        {
            lines.Add(null);
            lines.Add(s => s.Text(1, "Notes", XlsxStyles.Bold));
            lines.AddRange(notes.Select(n => (Action<XlsxSheetWriter>?)(s => s.Text(1, n))));
        }

        return lines;
    }

    private static void AddRanking(List<Action<XlsxSheetWriter>?> lines, string title, IEnumerable<RouteTotal> routes, RenderOptions options)
    {
        lines.Add(s =>
        {
            s.Text(1, title, XlsxStyles.Header);
            string[] header = ["Attempts", "Answered", "ASR", "ACD (s)", "Minutes"];
            for (var i = 0; i < header.Length; i++)
            {
                s.Text(i + 2, header[i], XlsxStyles.Header);
            }
        });

        var any = false;
        foreach (var route in routes)
        {
            any = true;
            lines.Add(s =>
            {
                var m = route.Metrics;
                s.Text(1, route.Route);
                s.Integer(2, m.Attempts);
                s.Integer(3, m.Answered);
                s.Number(4, m.Asr, XlsxStyles.Percent);
                s.Number(5, m.AcdSec, XlsxStyles.Decimal2);
                s.Number(6, m.Minutes, XlsxStyles.Decimal2);
            });
        }

        if (!any)
        {
            lines.Add(s => s.Text(1, $"No route has {options.MinimumSample} or more attempts."));
        }
    }

    private static void WriteLines(XlsxSheetWriter sheet, List<Action<XlsxSheetWriter>?> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is { } write)
            {
                sheet.Row(i + 1);
                write(sheet);
            }
        }
    }

    private static void Header(XlsxSheetWriter sheet, string[] header)
    {
        sheet.NextRow();
        for (var i = 0; i < header.Length; i++)
        {
            sheet.Text(i + 1, header[i], XlsxStyles.Header);
        }
    }

    /// <summary>attempts, answered, ASR, ACD s, ACD [m]:ss, minutes from <paramref name="column"/> on.</summary>
    private static void WriteMetrics(XlsxSheetWriter sheet, int column, Metrics m)
    {
        sheet.Integer(column, m.Attempts);
        sheet.Integer(column + 1, m.Answered);
        sheet.Number(column + 2, m.Asr, XlsxStyles.Percent);
        sheet.Number(column + 3, m.AcdSec, XlsxStyles.Decimal2);
        sheet.Number(column + 4, m.AcdSec / 86_400m, XlsxStyles.Duration);
        sheet.Number(column + 5, m.Minutes, XlsxStyles.Decimal2);
    }

    private static (string, double)? LowAsr(int column, int lastRow, RenderOptions options) =>
        lastRow < 2 ? null : (Range(column, 2, column, lastRow), (double)(options.AsrWarningThresholdPct / 100m));

    private static string Range(int fromColumn, int fromRow, int toColumn, int toRow) =>
        XlsxSheetWriter.Reference(fromColumn, fromRow) + ":" + XlsxSheetWriter.Reference(toColumn, toRow);

    /// <summary>Excel cannot auto-fit on write, so size the route column from the longest name, within reason.</summary>
    private static double RouteWidth(AsrPerRouteReport report) =>
        Math.Clamp(report.Routes.Select(r => r.Length).DefaultIfEmpty(0).Max() + 2, 12, 60);

    internal static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Lines(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0);

    /// <summary>One row of the carrier totals table: this period, the previous one, and the change.</summary>
    private sealed record SummaryMetric(string Label, Func<Metrics, decimal?> Value, uint Style, Func<Metrics, decimal?>? Difference, uint DifferenceStyle)
    {
        public static readonly SummaryMetric[] All =
        [
            new("Attempts", m => m.Attempts, XlsxStyles.Integer, m => m.Attempts, XlsxStyles.ChangeInteger),
            new("Answered", m => m.Answered, XlsxStyles.Integer, m => m.Answered, XlsxStyles.ChangeInteger),
            // ASR changes are differences of percentages, so they read in percentage points.
            new("ASR", m => m.Asr, XlsxStyles.Percent, m => m.AsrPct, XlsxStyles.ChangePoints),
            new("ACD (s)", m => m.AcdSec, XlsxStyles.Decimal2, m => m.AcdSec, XlsxStyles.ChangeDecimal),
            // Excel cannot show a negative duration in the 1900 date system, so this row has no difference.
            new("ACD (m:ss)", m => m.AcdSec / 86_400m, XlsxStyles.Duration, null, XlsxStyles.Default),
            new("Minutes", m => m.Minutes, XlsxStyles.Decimal2, m => m.Minutes, XlsxStyles.ChangeDecimal),
        ];

        public void Write(XlsxSheetWriter sheet, Metrics current, Metrics? previous)
        {
            sheet.Text(1, Label);
            WriteValue(sheet, 2, Value(current));
            if (previous is not { } prior)
            {
                return;
            }

            WriteValue(sheet, 3, Value(prior));
            if (Difference is not null && Difference(current) is { } now && Difference(prior) is { } before)
            {
                sheet.Number(4, now - before, DifferenceStyle);
            }

            if (Value(current) is { } a && Value(prior) is { } b && b != 0)
            {
                sheet.Number(5, (a - b) / b, XlsxStyles.ChangePercent);
            }
        }

        private void WriteValue(XlsxSheetWriter sheet, int column, decimal? value)
        {
            if (Style == XlsxStyles.Integer && value is { } v)
            {
                sheet.Integer(column, (long)v);
            }
            else
            {
                sheet.Number(column, value, Style);
            }
        }
    }
}
