using CarrierReports.Access;
namespace CarrierReports.Audit;

/// <summary>Which audit rows to read, one page at a time.</summary>
/// <param name="Action">Exact, or a prefix ending in <c>*</c> (<c>users.*</c>).</param>
/// <param name="Target">Exact, or a prefix ending in <c>*</c>.</param>
/// <param name="From">Inclusive.</param>
/// <param name="To">Exclusive.</param>
/// <param name="After">Keyset cursor: the <see cref="AuditPage.Next"/> of the previous page; null for the first page.</param>
/// <param name="NewestFirst">Pages go back in time (the web list) instead of forward (exports).</param>
public sealed record AuditFilter(
    string? Actor = null,
    string? Action = null,
    string? Target = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? After = null,
    int Limit = 100,
    bool NewestFirst = false)
{
    public const int MaxLimit = 1000;
}

/// <param name="Next">The cursor for the next page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);
