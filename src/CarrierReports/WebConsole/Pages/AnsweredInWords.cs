using System.Text.RegularExpressions;

namespace CarrierReports.WebConsole.Pages;

/// <summary>
/// The CDR source's rule for "answered" (<see cref="Cdr.CdrMapping.AnsweredRule"/>, written for whoever maps the
/// columns: <c>duration (duration) &gt; 0</c>) said for a manager reading the report: what kind of call counts as
/// answered, in words. The report pages show these words and keep the exact rule on hover for the one who checks it.
/// </summary>
public static partial class AnsweredInWords
{
    /// <summary>A sentence that ends with a full stop; the rule itself when its form is not one the mapping writes.</summary>
    public static string For(string rule)
    {
        if (SipRule().IsMatch(rule))
        {
            return "A call counts as answered when the far end picked up (the call's SIP result was 200 OK); every other call is an attempt that was not answered.";
        }

        if (FlagRule().IsMatch(rule))
        {
            return "A call counts as answered when the call record marks it as answered; every other call is an attempt that was not answered.";
        }

        if (DurationRule().IsMatch(rule))
        {
            return "A call counts as answered when it was connected, that is when it lasted longer than 0 seconds; a call of 0 seconds is an attempt that was not answered.";
        }

        if (ValuesRule().Match(rule) is { Success: true } values)
        {
            return $"A call counts as answered when the call record's answer field says {values.Groups["values"].Value}; every other call is an attempt that was not answered.";
        }

        return $"A call counts as answered when {rule}.";
    }

    [GeneratedRegex(@"^SIP code \(.+\) = 200$")]
    private static partial Regex SipRule();

    [GeneratedRegex(@"^answer flag \(.+\) set$")]
    private static partial Regex FlagRule();

    [GeneratedRegex(@"^duration \(.+\) > 0$")]
    private static partial Regex DurationRule();

    [GeneratedRegex(@"^answer column \(.+?\) is (?<values>'[^;]*?')( \(after|;)")]
    private static partial Regex ValuesRule();
}
