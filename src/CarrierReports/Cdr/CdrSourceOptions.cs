using System.ComponentModel.DataAnnotations;
using CarrierReports.Settings;

namespace CarrierReports.Cdr;

public enum CdrProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the CDRs are and how their columns are named. Bound from the <c>CdrSource</c> section, so every value can be
/// overridden by an environment variable such as <c>CdrSource__Columns__Route=rate_card</c>.
/// </summary>
public sealed class CdrSourceOptions
{
    public const string Section = "CdrSource";

    /// <summary><c>Sqlite</c> (default, the embedded store) or <c>Postgres</c>.</summary>
    public CdrProvider Provider { get; set; } = CdrProvider.Sqlite;

    /// <summary>ADO.NET connection string. Default: the demo's SQLite file <c>data/demo-cdr.db</c>.</summary>
    [Required(ErrorMessage = "is empty")]
    public string ConnectionString { get; set; } = "Data Source=data/demo-cdr.db";

    /// <summary>The table or view holding one row per attempt, optionally schema-qualified. Default <c>cdr</c>.</summary>
    public string Table { get; set; } = "cdr";

    public CdrColumns Columns { get; set; } = new();

    /// <summary>
    /// Values of <see cref="CdrColumns.Answered"/> that mean answered, e.g. <c>["ANSWERED"]</c> for an Asterisk
    /// <c>disposition</c> column. Compared after trimming spaces, ignoring case. Empty: the column is a flag
    /// (boolean, non-zero number, or <c>1/t/true/y/yes</c> text, with <c>0/f/false/n/no</c> as not answered).
    /// </summary>
    public List<string> AnsweredValues { get; set; } = [];

    /// <summary>
    /// Values of <see cref="CdrColumns.Answered"/> that mean not answered, e.g. <c>["NO ANSWER", "BUSY", "FAILED"]</c>.
    /// With both lists a value in neither (NULL included) counts as an attempt, not answered, and is reported.
    /// With only <see cref="AnsweredValues"/>, every other value is not answered.
    /// </summary>
    public List<string> NotAnsweredValues { get; set; } = [];

    /// <summary>How long one aggregation query may run, in seconds. Default 300.</summary>
    [SettingRange(1, 86_400)]
    public int CommandTimeoutSeconds { get; set; } = 300;
}

/// <summary>Names of the columns of <see cref="CdrSourceOptions.Table"/>.</summary>
public sealed class CdrColumns
{
    /// <summary>Call start: <c>timestamptz</c> in PostgreSQL; ISO-8601 text or Unix seconds in SQLite. Default <c>start_time</c>.</summary>
    public string StartTime { get; set; } = "start_time";

    /// <summary>Carrier (customer) id, integer or text. Default <c>carrier_id</c>.</summary>
    public string Carrier { get; set; } = "carrier_id";

    /// <summary>Route: the provider rate card id, integer or text; NULL is reported as <c>(none)</c>. Default <c>provider_card_id</c>.</summary>
    public string Route { get; set; } = "provider_card_id";

    /// <summary>Billed/connected seconds. Default <c>duration</c>.</summary>
    public string Duration { get; set; } = "duration";

    /// <summary>Optional answer flag column (boolean, 0/1 or true/false text). When set, it decides "answered".</summary>
    public string? Answered { get; set; }

    /// <summary>Optional final SIP response code column; 200 means answered. When set, it decides "answered".</summary>
    public string? SipCode { get; set; }
}
