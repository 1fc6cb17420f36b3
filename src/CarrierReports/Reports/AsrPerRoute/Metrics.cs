namespace CarrierReports.Reports.AsrPerRoute;

/// <summary>
/// The sums a report is made of. Every ratio is computed from sums (never an average of averages) and is null when
/// its denominator is zero, so nothing ever shows 0 % or NaN for "no data".
/// </summary>
public readonly record struct Metrics(long Attempts, long Answered, decimal AnsweredSeconds)
{
    public static readonly Metrics Zero = new(0, 0, 0m);

    /// <summary>Answered / attempts × 100; null without attempts.</summary>
    public decimal? AsrPct => Attempts == 0 ? null : Answered * 100m / Attempts;

    /// <summary>ASR as a fraction (0..1) for spreadsheets; null without attempts.</summary>
    public decimal? Asr => Attempts == 0 ? null : (decimal)Answered / Attempts;

    /// <summary>Answered seconds / answered calls; null without answered calls.</summary>
    public decimal? AcdSec => Answered == 0 ? null : AnsweredSeconds / Answered;

    public decimal Minutes => AnsweredSeconds / 60m;

    public static Metrics operator +(Metrics a, Metrics b) =>
        new(a.Attempts + b.Attempts, a.Answered + b.Answered, a.AnsweredSeconds + b.AnsweredSeconds);
}
