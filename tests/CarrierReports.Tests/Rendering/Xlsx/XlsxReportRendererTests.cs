using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CarrierReports.Cdr;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Rendering.Xlsx;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Rendering.Xlsx;

public sealed partial class XlsxReportRendererTests
{
    private const string Injection = "=cmd|' /C calc'!A0";
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // 2026-10-25 is the day Europe/London falls back: 25 hourly buckets, local 01:00 twice.
    private static readonly DateTimeOffset FallBackFrom = new(2026, 10, 24, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FallBackTo = new(2026, 10, 26, 0, 0, 0, TimeSpan.Zero);

    // Routes in report order (ordinal): "(none)", Injection, "Dead", "Route A", "Tiny"; Data row = 2 + bucket * 5 + route.
    private const int RouteCount = 5;

    private static AsrPerRouteReport FallBackReport(Metrics? previous = null)
    {
        var sums = new List<PartialSum>();
        for (var b = 0; b < 25; b++)
        {
            sums.Add(new PartialSum(b, "Route A", 100, 40, 40 * 95.5m + b));
            sums.Add(new PartialSum(b, Injection, 50, 10, 1234.567m));
        }

        sums.Add(new PartialSum(1, null, 1000, 900, 54_000m));   // best ASR, but no route: never ranked
        sums.Add(new PartialSum(2, "Tiny", 5, 5, 300m));          // 100 % on too small a sample
        sums.Add(new PartialSum(3, "Dead", 40, 0, 0m));           // attempts without answers: ASR 0, ACD empty
        var plan = BucketPlan.Create(London, BucketSize.Hour, FallBackFrom, FallBackTo);
        var period = new ReportPeriod("2026-10-25..2026-10-26", London, FallBackFrom, FallBackTo);
        var request = new AsrPerRouteRequest("544", "Acme Telecom", period, BucketSize.Hour);
        return AsrPerRouteReport.Build(request, plan, sums, 3, "duration > 0", new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero)) with { PreviousTotal = previous };
    }

    private static AsrPerRouteReport EmptyReport()
    {
        var from = new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var plan = BucketPlan.Create(London, BucketSize.Day, from, to);
        var request = new AsrPerRouteRequest("7", "Quiet Ltd", new ReportPeriod("previous-month", London, from, to), BucketSize.Day);
        return AsrPerRouteReport.Build(request, plan, [], 0, "duration > 0", new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero));
    }

    private static async Task<byte[]> RenderAsync(AsrPerRouteReport report, RenderOptions? options = null)
    {
        using var output = new MemoryStream();
        await new XlsxReportRenderer().RenderAsync(report, options ?? new RenderOptions(), output, CancellationToken.None);
        return output.ToArray();
    }

    [Fact]
    public async Task Render_HasTheFourSheetsInOrder_AndIsValidOpenXml()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport(new Metrics(4000, 1600, 100_000m))));

        Assert.Equal(["Summary", "Data", "Routes", "About"], book.SheetNames);
        var errors = new OpenXmlValidator().Validate(book.Document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Data_CellsAreTypedAndFormatted()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var data = book.Sheet("Data");

        Assert.Equal("A1:I126", data.GetFirstChild<SheetDimension>()?.Reference?.Value);
        Assert.Equal(["Bucket start (local)", "UTC offset", "Route", "Attempts", "Answered", "ASR", "ACD (s)", "ACD (m:ss)", "Minutes"],
            "ABCDEFGHI".Select(c => book.Text(data, c + "1")));

        // Row 5 is bucket 0, "Route A": 100 attempts, 40 answered, 3820 s.
        Assert.Equal(new DateTime(2026, 10, 25, 0, 0, 0).ToOADate(), XlsxTestWorkbook.Number(data, "A5"));
        Assert.Equal("yyyy-mm-dd hh:mm", book.NumberFormat(data, "A5"));
        Assert.Equal("+01:00", book.Text(data, "B5"));
        Assert.Equal("Route A", book.Text(data, "C5"));
        Assert.Equal(100, XlsxTestWorkbook.Number(data, "D5"));
        Assert.Equal(40, XlsxTestWorkbook.Number(data, "E5"));
        Assert.Equal("#,##0", book.NumberFormat(data, "D5"));
        Assert.Equal(0.4, XlsxTestWorkbook.Number(data, "F5"), 12);
        Assert.Equal("0.00%", book.NumberFormat(data, "F5"));
        Assert.Equal(95.5, XlsxTestWorkbook.Number(data, "G5"), 12);
        Assert.Equal("0.00", book.NumberFormat(data, "G5"));
        Assert.Equal(95.5 / 86_400, XlsxTestWorkbook.Number(data, "H5"), 15);
        Assert.Equal("[m]:ss", book.NumberFormat(data, "H5"));
        Assert.Equal(3820 / 60.0, XlsxTestWorkbook.Number(data, "I5"), 12);
        Assert.Equal("0.00", book.NumberFormat(data, "I5"));
    }

    [Fact]
    public async Task Data_RepeatedFallBackHour_SameLocalTimeTellsApartByOffset()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var data = book.Sheet("Data");

        // Buckets 1 and 2 both start at 01:00 local: first in BST, then in GMT.
        var oneAm = new DateTime(2026, 10, 25, 1, 0, 0).ToOADate();
        Assert.Equal(oneAm, XlsxTestWorkbook.Number(data, "A7"));
        Assert.Equal(oneAm, XlsxTestWorkbook.Number(data, "A12"));
        Assert.Equal("+01:00", book.Text(data, "B7"));
        Assert.Equal("+00:00", book.Text(data, "B12"));
        Assert.Equal(new DateTime(2026, 10, 25, 23, 0, 0).ToOADate(), XlsxTestWorkbook.Number(data, $"A{2 + (24 * RouteCount)}"));
    }

    [Fact]
    public async Task Data_UndefinedRatios_AreEmptyCells()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var data = book.Sheet("Data");

        // Row 4: "Dead" in bucket 0, no attempts: counts are 0, every ratio is empty (not 0, not NaN).
        Assert.Equal("Dead", book.Text(data, "C4"));
        Assert.Equal(0, XlsxTestWorkbook.Number(data, "D4"));
        Assert.Equal(0, XlsxTestWorkbook.Number(data, "E4"));
        Assert.Null(XlsxTestWorkbook.Cell(data, "F4"));
        Assert.Null(XlsxTestWorkbook.Cell(data, "G4"));
        Assert.Null(XlsxTestWorkbook.Cell(data, "H4"));
        Assert.Equal(0, XlsxTestWorkbook.Number(data, "I4"));

        // Row 19: "Dead" in bucket 3, 40 attempts and none answered: ASR is a real 0 %, ACD is empty.
        Assert.Equal("Dead", book.Text(data, "C19"));
        Assert.Equal(0, XlsxTestWorkbook.Number(data, "F19"));
        Assert.Null(XlsxTestWorkbook.Cell(data, "G19"));
        Assert.Null(XlsxTestWorkbook.Cell(data, "H19"));
        Assert.DoesNotContain(data.Descendants<CellValue>(), v => v.Text.Contains("NaN", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DataAndRoutes_HaveFrozenHeaderAndAutoFilter()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));

        foreach (var (name, filter) in new[] { ("Data", "A1:I126"), ("Routes", "A1:G6") })
        {
            var sheet = book.Sheet(name);
            var pane = sheet.Descendants<Pane>().Single();
            Assert.Equal(PaneStateValues.Frozen, pane.State?.Value);
            Assert.Equal(1, pane.VerticalSplit?.Value);
            Assert.Equal("A2", pane.TopLeftCell?.Value);
            Assert.Equal(filter, sheet.GetFirstChild<AutoFilter>()?.Reference?.Value);
            Assert.All(sheet.Descendants<Column>(), c => Assert.True(c.CustomWidth?.Value == true && c.Width?.Value > 5));
        }

        var names = book.WorkbookPart.Workbook.DefinedNames!.Elements<DefinedName>().Select(d => (d.Name?.Value, d.LocalSheetId?.Value, d.Text)).ToList();
        Assert.Contains(("_xlnm._FilterDatabase", 1u, "'Data'!$A$1:$I$126"), names);
        Assert.Contains(("_xlnm._FilterDatabase", 2u, "'Routes'!$A$1:$G$6"), names);
    }

    [Fact]
    public async Task AsrColumns_HighlightBelowThreshold_ButNotBlanks()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport(), new RenderOptions { AsrWarningThresholdPct = 25m }));

        foreach (var (name, range) in new[] { ("Data", "F2:F126"), ("Routes", "D2:D6") })
        {
            var formatting = book.Sheet(name).Descendants<ConditionalFormatting>().Single();
            Assert.Equal(range, formatting.SequenceOfReferences?.InnerText);
            var rule = formatting.Elements<ConditionalFormattingRule>().Single();
            var first = range[..2];
            // ISNUMBER keeps blank ratio cells (which Excel compares as 0) from turning red.
            Assert.Equal($"AND(ISNUMBER({first}),{first}<0.25)", rule.GetFirstChild<Formula>()?.Text);
            var dxf = book.WorkbookPart.WorkbookStylesPart!.Stylesheet.DifferentialFormats!.Elements<DifferentialFormat>().ElementAt((int)rule.FormatId!.Value);
            Assert.Equal("FFFFC7CE", dxf.Fill?.PatternFill?.BackgroundColor?.Rgb?.Value);
        }
    }

    [Fact]
    public async Task FormulaLikeRoute_StaysText_AndNoFormulaIsWritten()
    {
        var bytes = await RenderAsync(FallBackReport());
        using (var book = new XlsxTestWorkbook(bytes))
        {
            Assert.Equal(Injection, book.Text(book.Sheet("Data"), "C3"));
            Assert.Equal(Injection, book.Text(book.Sheet("Routes"), "A3"));
            foreach (var name in book.SheetNames)
            {
                Assert.Empty(book.Sheet(name).Descendants<CellFormula>());
            }
        }

        // Also check the raw XML, whatever prefix the writer chose: no <f> element anywhere.
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, sheets.Count);
        foreach (var entry in sheets)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            Assert.DoesNotMatch(CellFormulaElement(), await reader.ReadToEndAsync());
        }
    }

    [GeneratedRegex(@"<(\w+:)?f[\s/>]")]
    private static partial Regex CellFormulaElement();

    [Fact]
    public async Task DataAndRoutes_EqualTheCsvNumbers()
    {
        var report = FallBackReport();
        using var book = new XlsxTestWorkbook(await RenderAsync(report));

        var csv = await CsvLinesAsync(s => AsrCsvWriter.WriteAsync(report, s, CancellationToken.None));
        Assert.Equal(report.Rows.Count, csv.Count);
        var data = book.Sheet("Data");
        for (var i = 0; i < csv.Count; i++)
        {
            var fields = csv[i];
            var row = i + 2;
            Assert.Equal(fields[0], ReportFormat.LocalTime(new DateTimeOffset(DateTime.FromOADate(XlsxTestWorkbook.Number(data, $"A{row}")), ParseOffset(book.Text(data, $"B{row}")))));
            AssertSameMetrics(book, data, row, 'C', fields[1..]);
        }

        var totals = await CsvLinesAsync(s => AsrCsvWriter.WriteTotalsAsync(report, s, CancellationToken.None));
        var routes = book.Sheet("Routes");
        for (var i = 0; i < totals.Count - 1; i++)
        {
            Assert.Equal("route", totals[i][0]);
            AssertSameMetrics(book, routes, i + 2, 'A', totals[i][1..]);
        }

        // The carrier total sits below a blank row, outside the filtered range.
        Assert.Equal("carrier", totals[^1][0]);
        var totalRow = report.RouteTotals.Count + 3;
        Assert.Equal("All routes (carrier)", book.Text(routes, $"A{totalRow}"));
        AssertSameMetrics(book, routes, totalRow, 'A', ["", .. totals[^1][2..]]);
    }

    /// <summary>route, attempts, answered, asr_pct, acd_sec, minutes from the CSV against the cells from <paramref name="routeColumn"/>.</summary>
    private static void AssertSameMetrics(XlsxTestWorkbook book, Worksheet sheet, int row, char routeColumn, string[] csv)
    {
        string Ref(int offset) => $"{(char)(routeColumn + offset)}{row}";
        if (csv[0].Length > 0)
        {
            Assert.Equal(csv[0], ReportFormat.SafeText(book.Text(sheet, Ref(0))));
        }

        Assert.Equal(long.Parse(csv[1], CultureInfo.InvariantCulture), XlsxTestWorkbook.Number(sheet, Ref(1)));
        Assert.Equal(long.Parse(csv[2], CultureInfo.InvariantCulture), XlsxTestWorkbook.Number(sheet, Ref(2)));
        AssertRounded(csv[3], XlsxTestWorkbook.Cell(sheet, Ref(3)), 100);
        AssertRounded(csv[4], XlsxTestWorkbook.Cell(sheet, Ref(4)), 1);
        AssertRounded(csv[4], XlsxTestWorkbook.Cell(sheet, Ref(5)), 86_400);
        AssertRounded(csv[5], XlsxTestWorkbook.Cell(sheet, Ref(6)), 1);
    }

    /// <summary>The CSV has four decimals: the cell (times <paramref name="scale"/>) must round to it, and be empty where it is empty.</summary>
    private static void AssertRounded(string csv, Cell? cell, double scale)
    {
        if (csv.Length == 0)
        {
            Assert.Null(cell);
            return;
        }

        Assert.NotNull(cell);
        var expected = double.Parse(csv, CultureInfo.InvariantCulture);
        var actual = XlsxTestWorkbook.Number(cell) * scale;
        Assert.True(Math.Abs(actual - expected) <= 0.00005 + 1e-9, $"{cell.CellReference}: {actual} does not round to {csv}");
    }

    private static async Task<List<string[]>> CsvLinesAsync(Func<Stream, Task> write)
    {
        using var stream = new MemoryStream();
        await write(stream);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // The test routes contain no comma or quote, so a plain split reads the RFC 4180 fields.
        return lines.Skip(1).Select(l => l.Split(',')).ToList();
    }

    private static TimeSpan ParseOffset(string text) =>
        (text[0] == '-' ? -1 : 1) * TimeSpan.ParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Summary_RanksRoutesWithEnoughAttempts_AndSkipsTheNoRouteLabel()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var summary = book.Sheet("Summary");

        Assert.Equal(["Route A", Injection, "Dead"], RankedRoutes(book, summary, "Best routes by ASR"));
        Assert.Equal(["Dead", Injection, "Route A"], RankedRoutes(book, summary, "Worst routes by ASR"));
    }

    [Fact]
    public async Task Summary_ShowsChangeAgainstThePreviousPeriod()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport(new Metrics(4000, 1600, 100_000m))));
        var summary = book.Sheet("Summary");
        var attempts = RowLabelled(book, summary, "Attempts");
        var asr = RowLabelled(book, summary, "ASR");

        // This period: 4795 attempts, 2155 answered.
        Assert.Equal(4795, XlsxTestWorkbook.Number(summary, $"B{attempts}"));
        Assert.Equal(4000, XlsxTestWorkbook.Number(summary, $"C{attempts}"));
        Assert.Equal(795, XlsxTestWorkbook.Number(summary, $"D{attempts}"));
        Assert.Equal(795 / 4000.0, XlsxTestWorkbook.Number(summary, $"E{attempts}"), 12);
        Assert.Equal(2155 / 4795.0, XlsxTestWorkbook.Number(summary, $"B{asr}"), 12);
        Assert.Equal("0.00%", book.NumberFormat(summary, $"B{asr}"));
        Assert.Equal(0.4, XlsxTestWorkbook.Number(summary, $"C{asr}"), 12);
        Assert.Equal((2155 * 100.0 / 4795) - 40, XlsxTestWorkbook.Number(summary, $"D{asr}"), 10);
        Assert.Contains("pp", book.NumberFormat(summary, $"D{asr}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_WithoutPreviousPeriod_HasNoChangeColumns()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var summary = book.Sheet("Summary");
        var attempts = RowLabelled(book, summary, "Attempts");

        Assert.Equal(4795, XlsxTestWorkbook.Number(summary, $"B{attempts}"));
        Assert.Null(XlsxTestWorkbook.Cell(summary, $"C{attempts}"));
        Assert.Null(XlsxTestWorkbook.Cell(summary, $"D{attempts}"));
    }

    [Fact]
    public async Task About_StatesZoneBoundsAndDefinitions()
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(FallBackReport()));
        var about = book.Sheet("About");
        var values = XlsxTestWorkbook.Rows(about).Skip(1).ToDictionary(
            r => book.Text(r.Elements<Cell>().First()),
            r => r.Elements<Cell>().ElementAt(1));

        Assert.Equal("544", book.Text(values["Carrier id"]));
        Assert.Equal("Acme Telecom", book.Text(values["Carrier name"]));
        Assert.Equal("asr-per-route", book.Text(values["Report type"]));
        Assert.Equal("2026-10-25..2026-10-26", book.Text(values["Range expression"]));
        Assert.Equal("Europe/London", book.Text(values["Time zone"]));
        Assert.Equal("2026-10-25T00:00:00+01:00", book.Text(values["Local from (inclusive)"]));
        Assert.Equal("2026-10-26T00:00:00+00:00", book.Text(values["Local to (exclusive)"]));
        Assert.Equal("2026-10-24T23:00:00Z", book.Text(values["UTC from (inclusive)"]));
        Assert.Equal("2026-10-26T00:00:00Z", book.Text(values["UTC to (exclusive)"]));
        Assert.Equal("hour", book.Text(values["Bucket"]));
        Assert.Equal("duration > 0", book.Text(values["Answered rule"]));
        Assert.Contains("answered calls / attempts", book.Text(values["ASR"]), StringComparison.Ordinal);
        Assert.Contains("answered seconds / answered calls", book.Text(values["ACD"]), StringComparison.Ordinal);
        Assert.Equal("answered seconds / 60", book.Text(values["Minutes"]));
        Assert.Equal("2026-11-02T06:00:00Z", book.Text(values["Generated at (UTC)"]));
        Assert.Equal(125, XlsxTestWorkbook.Number(values["Data rows"]));
    }

    [Fact]
    public async Task EmptyReport_IsAValidWorkbookWithHeadersOnly()
    {
        var report = EmptyReport();
        Assert.True(report.IsEmpty);
        using var book = new XlsxTestWorkbook(await RenderAsync(report, new RenderOptions { Texts = new ReportTexts("Quiet month", "No traffic.", "ASR = answered / attempts") }));

        Assert.Empty(new OpenXmlValidator().Validate(book.Document));
        Assert.Equal(["Summary", "Data", "Routes", "About"], book.SheetNames);
        Assert.Single(XlsxTestWorkbook.Rows(book.Sheet("Data")));
        Assert.Equal("A1:I1", book.Sheet("Data").GetFirstChild<AutoFilter>()?.Reference?.Value);
        Assert.Empty(book.Sheet("Data").Descendants<ConditionalFormatting>());

        var summary = book.Sheet("Summary");
        Assert.Equal("Quiet month", book.Text(summary, "A1"));
        var attempts = RowLabelled(book, summary, "Attempts");
        Assert.Equal(0, XlsxTestWorkbook.Number(summary, $"B{attempts}"));
        Assert.Null(XlsxTestWorkbook.Cell(summary, $"B{RowLabelled(book, summary, "ASR")}"));
        var texts = summary.Descendants<Cell>().Where(c => c.DataType?.Value == CellValues.SharedString).Select(book.Text).ToList();
        Assert.Contains("No calls in this period.", texts);
        Assert.Contains("No traffic.", texts);

        var routes = book.Sheet("Routes");
        Assert.Equal("All routes (carrier)", book.Text(routes, "A3"));
        Assert.Equal(0, XlsxTestWorkbook.Number(routes, "B3"));
        Assert.Null(XlsxTestWorkbook.Cell(routes, "D3"));
    }

    [Fact]
    public async Task Render_ToAStreamThatCannotSeek_WritesTheSameWorkbook()
    {
        var report = FallBackReport();
        using var target = new MemoryStream();
        await using (var forwardOnly = new ForwardOnlyStream(target))
        {
            await new XlsxReportRenderer().RenderAsync(report, new RenderOptions(), forwardOnly, CancellationToken.None);
        }

        using var book = new XlsxTestWorkbook(target.ToArray());
        Assert.Equal(Injection, book.Text(book.Sheet("Data"), "C3"));
    }

    [Fact]
    public async Task Render_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new XlsxReportRenderer().RenderAsync(FallBackReport(), new RenderOptions(), output, cancelled.Token));
    }

    [Fact]
    public void AddReports_RegistersTheXlsxRenderer()
    {
        using var services = new ServiceCollection().AddReports().BuildServiceProvider();

        Assert.Contains(services.GetServices<IReportRenderer>(), r => r is XlsxReportRenderer && r.Format == ReportFormatKind.Xlsx);
    }

    private static int RowLabelled(XlsxTestWorkbook book, Worksheet sheet, string label) =>
        (int)XlsxTestWorkbook.Rows(sheet).First(r => r.Elements<Cell>().FirstOrDefault() is { DataType: not null } c
            && c.CellReference!.Value!.StartsWith('A') && book.Text(c) == label).RowIndex!.Value;

    /// <summary>Column A of the rows under the section header that starts with <paramref name="title"/>, up to the next blank row.</summary>
    private static List<string> RankedRoutes(XlsxTestWorkbook book, Worksheet sheet, string title)
    {
        var rows = XlsxTestWorkbook.Rows(sheet).ToDictionary(r => (int)r.RowIndex!.Value);
        var start = rows.Values.Single(r => r.Elements<Cell>().First() is { DataType: not null } c && book.Text(c).StartsWith(title, StringComparison.Ordinal));
        var names = new List<string>();
        for (var i = (int)start.RowIndex!.Value + 1; rows.TryGetValue(i, out var row); i++)
        {
            names.Add(book.Text(row.Elements<Cell>().First()));
        }

        return names;
    }

    /// <summary>A write-only, non-seekable stream, like an HTTP response body.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
