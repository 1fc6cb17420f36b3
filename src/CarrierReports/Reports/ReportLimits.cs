using System.Globalization;
using Microsoft.Extensions.Options;

namespace CarrierReports.Reports;

/// <summary>
/// Upper bounds on one report's size, bound from the <c>Reports</c> section. A report is a full bucket × route grid,
/// so its memory and file sizes grow with the product: without a bound, a table with a million routes makes every
/// output file hundreds of megabytes and an hourly report runs the process out of memory.
/// </summary>
public sealed class ReportLimits
{
    public const string Section = "Reports";

    /// <summary>The defaults, for code that builds reports without settings (samples, tests, benchmarks).</summary>
    public static readonly ReportLimits Default = new();

    /// <summary>Most distinct routes (the no-route bucket included) one report may have. Default 10,000.</summary>
    public int MaxRoutes { get; set; } = 10_000;

    /// <summary>Most cells (buckets × routes) one report may have. Default 2,000,000 (e.g. 2,700 routes hourly for a month).</summary>
    public long MaxCells { get; set; } = 2_000_000;

    /// <summary>Throws when <paramref name="routes"/> routes in <paramref name="buckets"/> buckets exceed a limit. Arithmetic is checked.</summary>
    public void Check(long routes, int buckets)
    {
        if (routes > MaxRoutes)
        {
            throw new InputException(Section + ":MaxRoutes",
                $"the report has {N(routes)} routes; the limit {Section}:MaxRoutes is {N(MaxRoutes)} (narrow the period, or raise the setting)");
        }

        var cells = checked(routes * buckets);
        if (cells > MaxCells)
        {
            throw new InputException(Section + ":MaxCells",
                $"the report has {N(buckets)} buckets × {N(routes)} routes = {N(cells)} cells; the limit {Section}:MaxCells is {N(MaxCells)} (use a larger bucket or a shorter period, or raise the setting)");
        }
    }

    /// <summary>True while <paramref name="routes"/> routes in <paramref name="buckets"/> buckets are within both limits.</summary>
    public bool Allows(long routes, int buckets) => routes <= MaxRoutes && routes * buckets <= MaxCells;

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>Checks the limits at start; each failure names its setting.</summary>
public sealed class ReportLimitsValidator : IValidateOptions<ReportLimits>
{
    public ValidateOptionsResult Validate(string? name, ReportLimits options)
    {
        const string s = ReportLimits.Section + ":";
        var errors = new List<string>();
        if (options.MaxRoutes is < 1 or > 10_000_000)
        {
            errors.Add($"{s}MaxRoutes: {options.MaxRoutes} is outside 1..10000000");
        }

        if (options.MaxCells is < 1 or > 1_000_000_000)
        {
            errors.Add($"{s}MaxCells: {options.MaxCells} is outside 1..1000000000");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
