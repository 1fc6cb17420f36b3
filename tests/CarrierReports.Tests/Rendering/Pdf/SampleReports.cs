using CarrierReports.Cdr;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;

namespace CarrierReports.Tests.Rendering.Pdf;

/// <summary>Reports built in memory from partial sums, as a CDR source would return them; seeded, so every run is the same.</summary>
internal static class SampleReports
{
    public const string ScriptRoute = "<script>";
    public const string FormulaRoute = "=cmd|' /C calc'!A0";

    /// <summary>Outside Latin-1, so PDFsharp has to add a Unicode font encoding for it.</summary>
    public const string UnicodeRoute = "Łódź-mobile";

    /// <summary>Has the lowest ASR among routes with enough traffic, by construction.</summary>
    public const string WorstRoute = "ng-mobile";

    /// <summary>Has the highest ASR among routes with enough traffic, by construction.</summary>
    public const string BestRoute = "uk-fixed";

    /// <summary>Always below the default minimum sample of 30 attempts; its ASR is higher than every other route's.</summary>
    public const string TinyRoute = "np-fixed";

    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    public static ReportTexts Texts { get; } = new(
        "ASR per Route — Acme Telecom (544)",
        "Routes marked * carried too few calls to rank.",
        "Answered: a call with a positive billed duration. ASR = answered / attempts × 100. ACD = answered seconds / answered calls. Minutes = answered seconds / 60.");

    public static RenderOptions Options { get; } = new() { Texts = Texts };

    /// <summary>October 2026 in London (a DST change on the 25th), one bucket per <paramref name="bucket"/>.</summary>
    public static AsrPerRouteReport October(BucketSize bucket, int extraRoutes, Metrics? previous = null)
    {
        var from = new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = BucketPlan.Create(London, bucket, from, to);
        var sums = new List<PartialSum>();
        var random = new Random(544);
        var scale = bucket == BucketSize.Hour ? 1 : 24;

        // Named routes with fixed characters, then filler routes with middling ASR.
        var routes = new List<(string Route, double Asr, int Calls)>
        {
            (BestRoute, 0.80, 40), ("uk-mobile", 0.58, 60), ("de-mobile", 0.50, 30), (WorstRoute, 0.12, 25),
            (ScriptRoute, 0.45, 6), (FormulaRoute, 0.40, 6), (UnicodeRoute, 0.5, 8), (TinyRoute, 0.95, 0),
        };
        for (var i = 0; i < extraRoutes; i++)
        {
            routes.Add(($"route-{i:00}", 0.25 + 0.5 * random.NextDouble(), 3 + random.Next(12)));
        }

        foreach (var b in plan.Buckets)
        {
            foreach (var (route, asr, calls) in routes)
            {
                // An outage: no attempts at all on uk-mobile on the 10th, which must show as a row with empty ratios.
                if (route == "uk-mobile" && b.LocalStart.Day == 10)
                {
                    continue;
                }

                var attempts = route == TinyRoute ? (b.Index == 3 ? 2 : 0) : calls * scale / 2 + random.Next(calls * scale + 1);
                if (attempts == 0)
                {
                    continue;
                }

                var answered = (int)Math.Round(attempts * Math.Clamp(asr + (random.NextDouble() - 0.5) * 0.1, 0, 1));
                var seconds = Math.Round((decimal)(answered * (60 + 120 * random.NextDouble())), 3);
                sums.Add(new PartialSum(b.Index, route, attempts, answered, seconds));
            }

            // Unrouted calls are never answered; they must not be ranked as the worst route.
            sums.Add(new PartialSum(b.Index, null, 1 + random.Next(3 * scale), 0, 0m));
        }

        // 12.49496 s rounds to 12.4950 in the CSV and so to 12.50 on paper, although the exact value rounds to 12.49.
        sums.Add(new PartialSum(0, "rounding-edge", 1, 1, 12.49496m));

        var request = new AsrPerRouteRequest("544", "Acme Telecom", new ReportPeriod("2026-10", London, from, to), bucket);
        var report = AsrPerRouteReport.Build(request, plan, sums, 0, "billsec > 0", GeneratedAt);
        return report with { PreviousTotal = previous };
    }

    public static AsrPerRouteReport Empty()
    {
        var from = new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        var plan = BucketPlan.Create(London, BucketSize.Hour, from, to);
        var request = new AsrPerRouteRequest("545", "Borealis Voice", new ReportPeriod("previous-day", London, from, to), BucketSize.Hour);
        return AsrPerRouteReport.Build(request, plan, [], 0, "billsec > 0", GeneratedAt) with { PreviousTotal = new Metrics(120, 60, 3600m) };
    }

    /// <summary>A realistic daily or hourly month: <paramref name="routes"/> routes with traffic in every bucket.</summary>
    public static AsrPerRouteReport Month(BucketSize bucket, int routes)
    {
        var from = new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var plan = BucketPlan.Create(London, bucket, from, to);
        var random = new Random(7);
        var sums = new List<PartialSum>(plan.Buckets.Count * routes);
        foreach (var b in plan.Buckets)
        {
            for (var r = 0; r < routes; r++)
            {
                var attempts = 5 + random.Next(bucket == BucketSize.Hour ? 200 : 4000);
                var answered = (int)(attempts * (0.15 + 0.6 * random.NextDouble()));
                sums.Add(new PartialSum(b.Index, $"carrier-route-{r:00}", attempts, answered, answered * (decimal)(30 + 200 * random.NextDouble())));
            }
        }

        var request = new AsrPerRouteRequest("544", "Acme Telecom", new ReportPeriod("2026-10", London, from, to), bucket);
        return AsrPerRouteReport.Build(request, plan, sums, 0, "billsec > 0", GeneratedAt) with { PreviousTotal = new Metrics(900_000, 400_000, 48_000_000m) };
    }
}
