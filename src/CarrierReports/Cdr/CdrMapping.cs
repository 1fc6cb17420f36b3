namespace CarrierReports.Cdr;

/// <summary>The broad kind of a catalog column type, enough to build correct SQL for it.</summary>
public enum ColumnKind
{
    Unknown,
    Time,
    Number,
    Text,
    Boolean,
}

/// <summary>A mapped column as the catalog spells it.</summary>
public sealed record MappedColumn(string Name, ColumnKind Kind)
{
    public string Sql => SqlIdentifier.Quote(Name);

    /// <summary>The catalog says the column cannot hold NULL (then no query has to look for NULLs in it).</summary>
    public bool NotNull { get; init; }
}

/// <summary>
/// The configured column mapping checked against the real table: every mapped column exists and has a usable type.
/// </summary>
public sealed record CdrMapping(
    string TableSql,
    MappedColumn StartTime,
    MappedColumn Carrier,
    MappedColumn Route,
    MappedColumn Duration,
    MappedColumn? Answered,
    MappedColumn? SipCode)
{
    /// <summary>Which answer-column values mean answered; null for a boolean or numeric flag column (or no column).</summary>
    public AnswerValues? AnswerValues { get; init; }

    public string AnsweredRule =>
        SipCode is not null ? $"SIP code ({SipCode.Name}) = 200"
        : Answered is not null && AnswerValues is not null && AnswerValues != AnswerValues.TextFlag ? AnswerValues.Describe(Answered.Name)
        : Answered is not null ? $"answer flag ({Answered.Name}) set"
        : $"duration ({Duration.Name}) > 0";

    /// <summary>Matches the configured names to <paramref name="catalog"/> (case-insensitively, exact spelling preferred).</summary>
    public static CdrMapping Resolve(CdrSourceOptions options, string tableSql, string tableName, IReadOnlyList<MappedColumn> catalog)
    {
        var c = options.Columns;
        const string p = CdrSourceOptions.Section + ":Columns:";
        if (c.Answered is { Length: > 0 } && c.SipCode is { Length: > 0 })
        {
            throw new InputException(p + "SipCode", "set only one of Columns:Answered and Columns:SipCode to decide what answered means");
        }

        MappedColumn Find(string? name, string field, params ColumnKind[] allowed)
        {
            SqlIdentifier.Validate(name, p + field);
            var hit = catalog.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.Ordinal))
                      ?? catalog.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
                      ?? throw new InputException(p + field, $"column '{name}' does not exist in {tableName} (it has: {string.Join(", ", catalog.Select(x => x.Name))})");
            if (hit.Kind != ColumnKind.Unknown && !allowed.Contains(hit.Kind))
            {
                throw new InputException(p + field, $"column '{hit.Name}' in {tableName} is {hit.Kind.ToString().ToLowerInvariant()}, expected {string.Join(" or ", allowed.Select(a => a.ToString().ToLowerInvariant()))}");
            }

            return hit;
        }

        var answered = c.Answered is { Length: > 0 } ? Find(c.Answered, nameof(c.Answered), ColumnKind.Boolean, ColumnKind.Number, ColumnKind.Text) : null;
        return new CdrMapping(
            tableSql,
            Find(c.StartTime, nameof(c.StartTime), ColumnKind.Time, ColumnKind.Text, ColumnKind.Number),
            Find(c.Carrier, nameof(c.Carrier), ColumnKind.Number, ColumnKind.Text),
            Find(c.Route, nameof(c.Route), ColumnKind.Number, ColumnKind.Text),
            Find(c.Duration, nameof(c.Duration), ColumnKind.Number),
            answered,
            c.SipCode is { Length: > 0 } ? Find(c.SipCode, nameof(c.SipCode), ColumnKind.Number, ColumnKind.Text) : null)
        {
            AnswerValues = AnswerValues.Resolve(options, answered),
        };
    }
}
