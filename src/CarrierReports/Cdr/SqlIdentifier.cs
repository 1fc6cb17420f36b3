using System.Text.RegularExpressions;

namespace CarrierReports.Cdr;

/// <summary>Checks mapped table and column names before they go anywhere near SQL.</summary>
/// <remarks>
/// Identifiers cannot be bound as parameters, so a name from configuration is only accepted if it is a plain identifier
/// (letters, digits, <c>_</c>, <c>$</c>; at most 63 characters) and then matched against the database catalog; the
/// SQL uses the catalog's spelling, double-quoted. Anything else (quotes, spaces, semicolons, comments) is refused.
/// </remarks>
public static partial class SqlIdentifier
{
    public static void Validate(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InputException(field, "is empty; name a column or table");
        }

        if (!Plain().IsMatch(name))
        {
            throw new InputException(field, $"'{name}' is not a plain identifier (letters, digits, _ and $, starting with a letter or _, at most 63 characters)");
        }
    }

    /// <summary>Splits an optionally schema-qualified table name into (schema, table).</summary>
    public static (string? Schema, string Table) SplitTable(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InputException(field, "is empty; name the CDR table or view");
        }

        var parts = name.Split('.');
        if (parts.Length > 2)
        {
            throw new InputException(field, $"'{name}' has more than one '.'; use table or schema.table");
        }

        foreach (var part in parts)
        {
            Validate(part, field);
        }

        return parts.Length == 2 ? (parts[0], parts[1]) : (null, parts[0]);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // \A and \z: with ^ and $ a trailing newline would pass ("route\n"), since $ also matches before a final \n.
    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_$]{0,62}\z")]
    private static partial Regex Plain();
}
