namespace CarrierReports;

/// <summary>
/// Bad input from a user: a flag, a setting, a subscription field, a template or a CDR column.
/// <see cref="Field"/> names where it came from so the message can point at it; the CLI prints it
/// as one line without a stack trace.
/// </summary>
public sealed class InputException(string field, string reason, Exception? inner = null)
    : Exception($"{field}: {reason}", inner)
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
