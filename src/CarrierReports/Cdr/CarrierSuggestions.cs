namespace CarrierReports.Cdr;

/// <summary>
/// Near matches for a carrier id that has no rows at all: ids equal but for case, or within a small edit distance,
/// so <c>ACME</c> points at <c>acme</c> and <c>5444</c> at <c>544</c>.
/// </summary>
public static class CarrierSuggestions
{
    /// <summary>How many distinct carrier ids are read from the table to look for near matches.</summary>
    public const int MaxCandidates = 10_000;

    /// <summary>Up to <see cref="CdrDataIssues.MaxListed"/> candidates, closest first (case-only differences first).</summary>
    public static IReadOnlyList<string> Find(string carrier, IEnumerable<string> candidates)
    {
        var wanted = carrier.Trim();
        var allowed = Math.Max(1, wanted.Length / 4);
        return candidates
            .Where(c => !string.Equals(c, carrier, StringComparison.Ordinal))
            .Select(c => (Id: c, Distance: string.Equals(c.Trim(), wanted, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(c.ToUpperInvariant(), wanted.ToUpperInvariant())))
            .Where(x => x.Distance <= allowed)
            .OrderBy(x => x.Distance).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(CdrDataIssues.MaxListed)
            .Select(x => x.Id)
            .ToList();
    }

    /// <summary>Levenshtein distance; ids are short, so the two-row table is plenty.</summary>
    internal static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8 || a.Length > 200 || b.Length > 200)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
