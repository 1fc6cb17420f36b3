using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Reports;

/// <summary>The ad-hoc report as JSON: the period, each (bucket, route) row, each route's totals and the carrier's.</summary>
public sealed record AsrPerRouteView(
    string Carrier, string CarrierName, string Range, string TimeZone, DateTimeOffset UtcFrom, DateTimeOffset UtcTo, DateTimeOffset LocalFrom,
    DateTimeOffset LocalTo, string Bucket, IReadOnlyList<AsrRowView> Rows, IReadOnlyList<RouteTotal> RouteTotals, Metrics Total, Metrics? PreviousTotal,
    long NegativeDurationRows, string AnsweredRule, DateTimeOffset GeneratedAt)
{
    public static AsrPerRouteView From(AsrPerRouteReport r)
    {
        var p = r.Request.Period;
        return new AsrPerRouteView(r.Request.Carrier, r.Request.CarrierName, p.Expression, p.ZoneId, p.UtcFrom, p.UtcTo, p.LocalFrom, p.LocalTo,
            r.Request.Bucket.Name(),
            [.. r.Rows.Select(x => new AsrRowView(x.Bucket.LocalStart, x.Bucket.UtcStart, x.Bucket.UtcEnd, x.Route, x.Metrics))],
            r.RouteTotals, r.Total, r.PreviousTotal, r.NegativeDurationRows, r.AnsweredRule, r.GeneratedAt);
    }
}

public sealed record AsrRowView(DateTimeOffset LocalStart, DateTimeOffset UtcStart, DateTimeOffset UtcEnd, string Route, Metrics Metrics);
