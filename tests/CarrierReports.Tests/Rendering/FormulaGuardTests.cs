using System.Text;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Rendering.Xlsx;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Tests.Rendering.Xlsx;
using CarrierReports.Tests.Templating;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CarrierReports.Tests.Rendering;

/// <summary>
/// Route names that a spreadsheet would run as a formula (OWASP "CSV injection"), one per leading character the
/// guard must catch, next to look-alikes it must leave alone.
/// </summary>
public sealed class FormulaGuardTests
{
    public static readonly TheoryData<string> Dangerous = new()
    {
        "=1+1",
        "+44 7700 900123",
        "-2+3",
        "@SUM(A1:A9)",
        "\tcmd",
        "\rcmd",
    };

    private static readonly string[] Harmless = ["uk-mobile", "a=b", "1+1", "'quoted"];

    private static AsrPerRouteReport ReportWith(string route) =>
        TemplateTestData.Report([(route, 500, 250, 30_000m), .. Harmless.Select(h => ((string?)h, 500L, 250L, 30_000m))]);

    private static async Task<byte[]> RenderAsync(IReportRenderer renderer, AsrPerRouteReport report)
    {
        using var output = new MemoryStream();
        await renderer.RenderAsync(report, new RenderOptions(), output, CancellationToken.None);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Dangerous))]
    public async Task Csv_RouteStartingLikeAFormula_GetsAnApostrophe(string route)
    {
        var csv = Encoding.UTF8.GetString(await RenderAsync(new CsvReportRenderer(), ReportWith(route)));

        var routes = Csv.Records(csv).Skip(1).Select(r => r[1]).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("'" + route, routes);
        Assert.DoesNotContain(route, routes);
        Assert.Superset(Harmless.ToHashSet(StringComparer.Ordinal), routes);
    }

    [Theory]
    [MemberData(nameof(Dangerous))]
    public async Task Xlsx_RouteStartingLikeAFormula_IsATextCellWithTheNameAsIs(string route)
    {
        using var book = new XlsxTestWorkbook(await RenderAsync(new XlsxReportRenderer(), ReportWith(route)));

        foreach (var name in book.SheetNames)
        {
            Assert.Empty(book.Sheet(name).Descendants<CellFormula>());
        }

        // Text() fails unless the cell is a shared string: a number or formula typed from the name would not be.
        var routes = XlsxTestWorkbook.Rows(book.Sheet("Routes")).Skip(1)
            .Select(row => row.Elements<Cell>().FirstOrDefault(c => c.CellReference?.Value?.StartsWith('A') == true))
            .OfType<Cell>()
            .Select(book.Text)
            .ToList();
        // XML end-of-line handling turns a CR written raw into LF when the sheet is read (by Excel too); the name keeps
        // every other character.
        Assert.Contains(route.Replace('\r', '\n'), routes);
        Assert.Superset(Harmless.ToHashSet(StringComparer.Ordinal), routes.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>An RFC 4180 reader small enough to trust: quoted fields may hold commas, quotes and line breaks.</summary>
    private static class Csv
    {
        public static List<string[]> Records(string text)
        {
            var records = new List<string[]>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    i++;
                }
                else
                {
                    field.Append(c);
                }
            }

            return records;
        }
    }
}
