namespace CarrierReports.Runs;

/// <summary>An operator action that cannot be done as asked, answered with <see cref="Status"/> (e.g. 409, or 500 for an archive that fails its check).</summary>
public sealed class OperatorActionException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
