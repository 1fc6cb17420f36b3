using System.Globalization;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;

namespace CarrierReports.WebConsole.Reports;

/// <summary>One figure of the summary with its change against the previous period of equal length, in words.</summary>
public sealed record SummaryCard(string Label, string Value, string Change)
{
    public static IReadOnlyList<SummaryCard> For(AsrPerRouteReport report)
    {
        var now = report.Total;
        var before = report.PreviousTotal;
        return
        [
            new("Attempts", ReportFormat.Count(now.Attempts), Relative(now.Attempts, before?.Attempts)),
            new("Answered", ReportFormat.Count(now.Answered), Relative(now.Answered, before?.Answered)),
            new("ASR", ReportFormat.Percent(now.AsrPct), Points(now.AsrPct, before?.AsrPct)),
            new("ACD", now.AcdSec is { } acd ? ReportFormat.Number(acd, 1) + " s" : ReportFormat.Empty, Relative(now.AcdSec, before?.AcdSec)),
            new("Minutes", ReportFormat.Number(now.Minutes, 1), Relative(now.Minutes, before?.Minutes)),
        ];
    }

    /// <summary>"+12.5 % vs previous period"; words instead when there is nothing to compare with.</summary>
    private static string Relative(decimal? now, decimal? before)
    {
        if (before is null || now is null)
        {
            return "no previous period to compare";
        }

        if (before == 0)
        {
            return now == 0 ? "same as previous period" : "previous period had none";
        }

        var pct = (now.Value - before.Value) * 100m / before.Value;
        return $"{Signed(pct)} % vs previous period";
    }

    /// <summary>ASR changes in percentage points: a fall from 50 % to 45 % is −5 points, not −10 %.</summary>
    private static string Points(decimal? now, decimal? before) =>
        now is null || before is null ? "no previous period to compare" : $"{Signed(now.Value - before.Value)} pts vs previous period";

    private static string Signed(decimal value)
    {
        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString("N1", CultureInfo.InvariantCulture);
        return rounded > 0 ? "+" + text : rounded < 0 ? "−" + text : "±" + text;
    }
}
