namespace CarrierReports.Cdr;

/// <summary>
/// What in the CDR table the report could not take at face value. Every count here is shown in the report notes,
/// the XLSX "About" sheet, the manifest and the console, the same way negative durations are: nothing is left out silently.
/// </summary>
/// <param name="UnreadableStartRows">The carrier's rows (in any period) whose start time is NULL or text that is not ISO-8601: in no period, so in no report.</param>
/// <param name="UnlistedAnswerRows">Rows in the period whose answer value is in neither configured list: attempts, not answered.</param>
/// <param name="UnlistedAnswerValues">A few of those values as stored (NULL as <c>(null)</c>), for the note.</param>
/// <param name="CarrierNotInTable">The carrier has no row at all in the table (not only none in this period).</param>
/// <param name="SimilarCarriers">Carrier ids in the table that differ only in case or by a small edit, when the carrier is absent.</param>
public sealed record CdrDataIssues(
    long UnreadableStartRows,
    long UnlistedAnswerRows,
    IReadOnlyList<string> UnlistedAnswerValues,
    bool CarrierNotInTable,
    IReadOnlyList<string> SimilarCarriers)
{
    public static readonly CdrDataIssues None = new(0, 0, [], false, []);

    /// <summary>How many values of a kind a note lists at most.</summary>
    public const int MaxListed = 5;
}
