namespace CarrierReports.Access;

/// <summary>
/// The carriers a user or key may see: all of them, or a fixed set. Outside the scope a carrier's data answers as if it
/// did not exist (404), so the check is a plain yes/no.
/// </summary>
public sealed class CarrierScope : IEquatable<CarrierScope>
{
    public static readonly CarrierScope All = new([]);

    private readonly SortedSet<string> _carriers;

    private CarrierScope(IEnumerable<string> carriers) => _carriers = new SortedSet<string>(carriers, StringComparer.Ordinal);

    public bool IsAll => _carriers.Count == 0;

    /// <summary>The carriers in the scope, sorted; empty when the scope is all carriers.</summary>
    public IReadOnlyCollection<string> Carriers => _carriers;

    public bool Allows(string carrier) => IsAll || _carriers.Contains(carrier);

    public static CarrierScope Of(IEnumerable<string> carriers)
    {
        var list = carriers.ToList();
        return list.Count == 0 ? All : new CarrierScope(list);
    }

    /// <summary>Parses <c>544,545</c>; empty or null means all carriers.</summary>
    /// <param name="field">The flag or setting the text came from, for the error.</param>
    public static CarrierScope Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var carriers = new List<string>();
        foreach (var part in text.Split(','))
        {
            var carrier = part.Trim();
            if (carrier.Length == 0)
            {
                throw new InputException(field, $"'{text}' has an empty carrier; use a comma-separated list such as 544,545");
            }

            if (carrier.Length > 64 || carrier.Any(char.IsWhiteSpace))
            {
                throw new InputException(field, $"'{carrier}' is not a carrier id (no spaces, at most 64 characters)");
            }

            carriers.Add(carrier);
        }

        return Of(carriers);
    }

    /// <summary>The stored form: the carriers joined by commas, empty for all.</summary>
    public override string ToString() => string.Join(',', _carriers);

    /// <summary>For people: <c>all</c> or the list.</summary>
    public string Describe() => IsAll ? "all" : ToString();

    public bool Equals(CarrierScope? other) => other is not null && _carriers.SetEquals(other._carriers);

    public override bool Equals(object? obj) => Equals(obj as CarrierScope);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
