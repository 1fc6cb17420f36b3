using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Cdr;

/// <summary>
/// Which text values of the answer column mean answered and which mean not answered. Values are compared after
/// trimming and upper-casing (invariant), in SQL, so <c>answered</c>, <c>ANSWERED </c> and <c>Answered</c> are one value.
/// </summary>
/// <param name="Answered">Upper-case values that mean answered.</param>
/// <param name="NotAnswered">Upper-case values that mean not answered; null when every other value is not answered.</param>
public sealed partial record AnswerValues(IReadOnlyList<string> Answered, IReadOnlyList<string>? NotAnswered)
{
    private const string AnsweredField = CdrSourceOptions.Section + ":AnsweredValues";
    private const string NotAnsweredField = CdrSourceOptions.Section + ":NotAnsweredValues";

    /// <summary>A text flag column without configured lists: today's truthy values, and their opposites as not answered.</summary>
    public static readonly AnswerValues TextFlag = new(["1", "T", "TRUE", "Y", "YES"], ["0", "F", "FALSE", "N", "NO"]);

    /// <summary>The configured lists, or <see cref="TextFlag"/> for a text column, or null (flag semantics) otherwise.</summary>
    public static AnswerValues? Resolve(CdrSourceOptions options, MappedColumn? answered)
    {
        if (answered is null)
        {
            return null;
        }

        if (options.AnsweredValues.Count == 0)
        {
            return answered.Kind == ColumnKind.Text ? TextFlag : null;
        }

        return new AnswerValues(Normalize(options.AnsweredValues), options.NotAnsweredValues.Count == 0 ? null : Normalize(options.NotAnsweredValues));
    }

    /// <summary>The errors in the lists, each naming its setting; empty when they are usable.</summary>
    public static IEnumerable<string> Errors(CdrSourceOptions options)
    {
        var hasColumn = !string.IsNullOrEmpty(options.Columns.Answered);
        if (!hasColumn && (options.AnsweredValues.Count > 0 || options.NotAnsweredValues.Count > 0))
        {
            yield return $"{(options.AnsweredValues.Count > 0 ? AnsweredField : NotAnsweredField)}: is set, but {CdrSourceOptions.Section}:Columns:Answered is not; name the answer column";
        }

        if (options.NotAnsweredValues.Count > 0 && options.AnsweredValues.Count == 0)
        {
            yield return $"{NotAnsweredField}: is set without {AnsweredField}; name the values that mean answered too";
        }

        foreach (var (field, list) in new[] { (AnsweredField, options.AnsweredValues), (NotAnsweredField, options.NotAnsweredValues) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is null || !Plain().IsMatch(list[i].Trim()))
                {
                    yield return $"{field}:{i}: '{list[i]}' is not a plain value (1 to 64 letters, digits, spaces and _ - . : / +)";
                }
            }
        }

        var both = Normalize(options.AnsweredValues).Intersect(Normalize(options.NotAnsweredValues)).ToList();
        if (both.Count > 0)
        {
            yield return $"{NotAnsweredField}: {string.Join(", ", both)} is also in {AnsweredField}; a value must mean one thing";
        }
    }

    /// <summary>SQL that is true when <paramref name="column"/> (any type) is one of <paramref name="values"/>; NULL for a NULL column.</summary>
    public static string InList(string column, IEnumerable<string> values) =>
        $"upper(trim(CAST({column} AS TEXT))) IN ({string.Join(", ", values.Select(v => "'" + v.Replace("'", "''", StringComparison.Ordinal) + "'"))})";

    /// <summary>SQL that is true when <paramref name="column"/> is in neither list (NULL included); false when there is no not-answered list.</summary>
    public string OutsideSql(string column) =>
        NotAnswered is null ? "false" : $"NOT coalesce({InList(column, Answered.Concat(NotAnswered))}, false)";

    /// <summary>For the report footer and the manifest.</summary>
    public string Describe(string columnName) => NotAnswered is null
        ? $"answer column ({columnName}) is {Join(Answered)} (after trimming, ignoring case); any other value is not answered"
        : $"answer column ({columnName}) is {Join(Answered)}; {Join(NotAnswered)} is not answered; any other value (or NULL) counts as not answered and is reported";

    private static string Join(IEnumerable<string> values) => string.Join(" or ", values.Select(v => "'" + v + "'"));

    private static List<string> Normalize(IEnumerable<string?> values) =>
        values.Where(v => v is not null).Select(v => v!.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();

    // No quotes or backslashes: the values go into SQL as literals (identifiers-style allow-list, as for column names).
    [GeneratedRegex(@"\A[A-Za-z0-9_ .:/+\-]{1,64}\z")]
    private static partial Regex Plain();
}

/// <summary>Checks <c>CdrSource:AnsweredValues</c> and <c>CdrSource:NotAnsweredValues</c> at start.</summary>
public sealed class AnswerValuesValidator : IValidateOptions<CdrSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, CdrSourceOptions options)
    {
        var errors = AnswerValues.Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
