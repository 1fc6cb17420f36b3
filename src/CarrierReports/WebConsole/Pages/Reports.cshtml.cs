using CarrierReports.Rendering;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Time;
using CarrierReports.WebConsole.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.WebConsole.Pages;

/// <summary>
/// The ad-hoc ASR per Route report (the <c>report</c> command in a page): a GET form, so the URL reproduces the view;
/// the same service as <c>GET /api/v1/reports/asr-per-route</c>, whose files the download buttons fetch for exactly
/// the period shown (the page's instant is passed as <c>asOf</c>). A carrier outside the user's scope answers 404.
/// </summary>
public sealed class ReportsModel(AsrPerRouteService service, CarrierChoices choices, IConfiguration configuration, TimeProvider time) : ConsolePageModel
{
    public const string Custom = "custom";

    public static readonly IReadOnlyList<(string Value, string Label)> Presets =
    [
        ("yesterday", "Yesterday"), ("previous-week", "Previous week"), ("previous-month", "Previous month"),
        ("month-to-date", "Month to date"), ("last-7d", "Last 7 days"), (Custom, "Custom from/to"),
    ];

    public static readonly IReadOnlyList<string> CommonZones = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Singapore", "Australia/Sydney"];

    /// <summary>What the highlighting and small-sample marks use: the renderers' defaults, so page and files agree.</summary>
    public RenderOptions Display { get; } = new();

    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string Range { get; set; } = "previous-month";
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string Tz { get; set; } = "UTC";
    [BindProperty(SupportsGet = true)] public string Bucket { get; set; } = "day";
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "bucket";
    [BindProperty(SupportsGet = true)] public string Dir { get; set; } = "asc";

    public IReadOnlyList<CarrierChoice> Carriers { get; private set; } = [];
    public AsrPerRouteReport? Report { get; private set; }
    public IReadOnlyList<AsrRow> Rows { get; private set; } = [];
    public IReadOnlyList<SummaryCard> Cards { get; private set; } = [];
    public IReadOnlyList<RouteTotal> Worst { get; private set; } = [];
    public IReadOnlyList<ChartSeries> Series { get; private set; } = [];

    /// <summary>The instant the period was resolved at (whole seconds), passed on to the downloads.</summary>
    public DateTimeOffset AsOf { get; private set; }

    public bool Descending => Dir == "desc";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Carriers = await choices.ForAsync(Actor, cancellationToken);
        if (string.IsNullOrWhiteSpace(Carrier))
        {
            return Page();
        }

        if (OutsideScope(Carrier) is { } notFound)
        {
            return notFound;
        }

        if (Carriers.All(c => c.Id != Carrier))
        {
            Carriers = [.. Carriers, new CarrierChoice(Carrier, CarrierNames.Lookup(configuration, Carrier))];
        }

        Sort = ReportTable.IsColumn(Sort) ? Sort : "bucket";
        Dir = Dir == "desc" ? "desc" : "asc";
        var now = time.GetUtcNow();
        AsOf = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        try
        {
            Report = await service.RunAsync(BuildRequest(), cancellationToken);
        }
        catch (InputException error)
        {
            AddFieldError(new InputException(FieldOf(error.Field), error.Reason));
            return Page();
        }

        Rows = ReportTable.Sort(Report.Rows, Sort, Descending);
        Cards = SummaryCard.For(Report);
        Worst = [.. RouteRanking.Of(Report, Display.MinimumSample).WorstFirst.Take(5)];
        Series = AsrChart.SeriesFor(Report, Display.TopRoutes);
        return Page();
    }

    private AsrPerRouteRequest BuildRequest()
    {
        var zone = Zones.Find(Tz, "tz");
        var size = BucketSizes.Parse(Bucket, "bucket");
        var period = Range == Custom
            ? RangeExpression.Resolve(From, To, zone, AsOf)
            : RangeExpression.Resolve(Range, zone, AsOf, "range");
        return new AsrPerRouteRequest(Carrier!, CarrierNames.Lookup(configuration, Carrier!), period, size);
    }

    /// <summary>The shared parsers name CLI flags and query parameters; errors go next to the matching field of the form.</summary>
    private static string FieldOf(string field) => field switch
    {
        "tz" => nameof(Tz),
        "bucket" => nameof(Bucket),
        "range" => nameof(Range),
        "--from" => nameof(From),
        "--to" => nameof(To),
        _ => "",
    };

    /// <summary>The report API's URL for this view in <paramref name="format"/> (pdf, xlsx, csv).</summary>
    public string DownloadUrl(string format) => ConsoleUrls.With("/api/v1/reports/asr-per-route",
        ("carrier", Carrier), ("range", Range == Custom ? null : Range), ("from", Range == Custom ? From : null), ("to", Range == Custom ? To : null),
        ("tz", Tz), ("bucket", Bucket), ("asOf", ReportFormat.UtcTime(AsOf)), ("format", format));

    /// <summary>This view sorted by <paramref name="column"/>: ascending first, the other way when it is already sorted so.</summary>
    public string SortUrl(string column) => ConsoleUrls.With(ConsoleUrls.Reports,
        ("carrier", Carrier), ("range", Range), ("from", Range == Custom ? From : null), ("to", Range == Custom ? To : null),
        ("tz", Tz), ("bucket", Bucket), ("sort", column), ("dir", Sort == column && !Descending ? "desc" : "asc"));

    public string? AriaSort(string column) => Sort == column ? (Descending ? "descending" : "ascending") : null;

    public bool Below(Metrics m) => m.AsrPct is { } asr && asr < Display.AsrWarningThresholdPct;

    public bool Small(Metrics m) => m.Attempts > 0 && m.Attempts < Display.MinimumSample;
}
