using CarrierReports.Cdr;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Tests.Support;
using CarrierReports.Templating;
using CarrierReports.Time;

namespace CarrierReports.Tests.Templating;

/// <summary>Reports with chosen route totals over October 2026 in Europe/London (a month that crosses the DST change).</summary>
internal static class TemplateTestData
{
    public static readonly DateTimeOffset UtcFrom = new(2026, 9, 30, 23, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset UtcTo = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="routes">Route (null: unrouted), attempts, answered, answered seconds; all put in the first bucket.</param>
    public static AsrPerRouteReport Report(
        IEnumerable<(string? Route, long Attempts, long Answered, decimal Seconds)> routes,
        string carrierName = "Acme Telecom",
        Metrics? previous = null,
        long negativeRows = 0)
    {
        var zone = Zones.Find("Europe/London", "tz");
        var period = new ReportPeriod("previous-month", zone, UtcFrom, UtcTo);
        var request = new AsrPerRouteRequest("544", carrierName, period, BucketSize.Day);
        var plan = BucketPlan.Create(zone, BucketSize.Day, UtcFrom, UtcTo);
        var sums = routes.Select(r => new PartialSum(0, r.Route, r.Attempts, r.Answered, r.Seconds));
        var report = AsrPerRouteReport.Build(request, plan, sums, negativeRows, "SIP code (sip_code) = 200", new DateTimeOffset(2026, 11, 1, 6, 0, 3, TimeSpan.Zero));
        return report with { PreviousTotal = previous };
    }

    /// <summary>Seven ranked routes, one small-sample route and unrouted calls.</summary>
    public static AsrPerRouteReport Busy(Metrics? previous = null) => Report(
    [
        ("uk-fixed", 1_000, 630, 151_200m),
        ("uk-mobile", 800, 464, 78_880m),
        ("de-mobile", 600, 300, 45_000m),
        ("fr-fixed", 500, 275, 55_000m),
        ("pk-mobile", 400, 144, 13_680m),
        ("in-mobile-b", 300, 93, 10_230m),
        ("ng-mobile", 200, 38, 3_040m),
        ("np-fixed", 10, 0, 0m),
        (null, 50, 0, 0m),
    ], previous: previous);

    public static AsrPerRouteReport Empty() => Report([]);
}

/// <summary>A copy of the default templates in a temporary folder, for tests that break or replace one file.</summary>
internal sealed class TempTemplateFolder : IDisposable
{
    private readonly TempFolder _folder = new("carrierreports-templates-");

    public TempTemplateFolder()
    {
        var source = TemplateFolder.ResolveDefault();
        foreach (var name in TemplateFolder.Files)
        {
            File.Copy(System.IO.Path.Combine(source, name), FileOf(name));
        }
    }

    public string Path => _folder.Path;

    public string FileOf(string name) => _folder.PathOf(name);

    public TempTemplateFolder With(string name, string text)
    {
        File.WriteAllText(FileOf(name), text);
        return this;
    }

    public void Dispose() => _folder.Dispose();
}
