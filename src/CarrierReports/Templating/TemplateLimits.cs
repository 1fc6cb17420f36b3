namespace CarrierReports.Templating;

/// <summary>
/// Bounds on one template render. Templates are edited by support staff, so a mistake (or a hostile edit) must end in
/// an error naming the file, not a hung job or a mail of several megabytes.
/// </summary>
public sealed record TemplateLimits
{
    public static readonly TemplateLimits Default = new();

    /// <summary>Wall-clock time one template may take. Default 2 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Iterations allowed in one (nested) loop tree. Default 10,000.</summary>
    public int LoopLimit { get; init; } = 10_000;

    /// <summary>Depth of nested function calls. Default 20.</summary>
    public int RecursiveLimit { get; init; } = 20;

    /// <summary>Characters one template may output. Default 500,000 (a report mail body is a few kilobytes).</summary>
    public int OutputLimit { get; init; } = 500_000;
}
