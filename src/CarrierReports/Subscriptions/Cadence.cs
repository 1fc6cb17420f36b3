using System.Globalization;
using System.Text.RegularExpressions;
using Quartz;

namespace CarrierReports.Subscriptions;

/// <summary>Turns a subscription's cadence into a Quartz cron expression.</summary>
/// <remarks>
/// Accepted: a Quartz cron (6 or 7 fields, seconds first); a classic 5-field crontab (<c>m h dom mon dow</c>, Sunday = 0
/// or 7), which Quartz rewrites into its own dialect; and shortcuts
/// <c>hourly</c>, <c>daily@HH:mm</c>, <c>weekly@ddd HH:mm</c>, <c>monthly@D HH:mm</c>. The cron is evaluated in the
/// subscription's zone.
/// </remarks>
public static partial class Cadence
{
    public static string ToQuartzCron(string? cadence, string field)
    {
        if (string.IsNullOrWhiteSpace(cadence))
        {
            throw new InputException(field, "is required (e.g. daily@06:00, weekly@mon 06:00, monthly@1 06:00, hourly, or a cron expression)");
        }

        var text = cadence.Trim();
        var cron = Shortcut(text, field) ?? text;
        var format = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length switch
        {
            5 => CronFormat.Unix,
            6 or 7 => CronFormat.Quartz,
            _ => throw new InputException(field, $"'{text}' is not a valid cron expression: expected 5 fields (m h dom mon dow) or 6–7 Quartz fields (s m h dom mon dow [year])"),
        };
        try
        {
            // Quartz rewrites a Unix crontab into its own dialect (seconds 0, Sunday = 1), so one form is stored.
            var expression = CronExpression.Parse(cron, format);
            if (expression.GetNextValidTimeAfter(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) is null)
            {
                throw new InputException(field, $"'{text}' never fires");
            }

            return expression.CronExpressionString;
        }
        catch (FormatException ex)
        {
            throw new InputException(field, $"'{text}' is not a valid cron expression: {ex.Message}");
        }
    }

    private static string? Shortcut(string text, string field)
    {
        if (text.Equals("hourly", StringComparison.OrdinalIgnoreCase))
        {
            return "0 0 * * * ?";
        }

        var m = ShortcutPattern().Match(text);
        if (!m.Success)
        {
            return text.Contains('@', StringComparison.Ordinal)
                ? throw new InputException(field, $"'{text}' is not a cadence shortcut; use daily@06:00, weekly@mon 06:00 or monthly@1 06:00")
                : null;
        }

        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59)
        {
            throw new InputException(field, $"'{text}' has no such time of day");
        }

        var arg = m.Groups["arg"].Value;
        switch (m.Groups["kind"].Value.ToLowerInvariant())
        {
            case "daily" when arg.Length == 0:
                return $"0 {minute} {hour} * * ?";
            case "weekly" when arg.Length > 0:
                var day = arg[..Math.Min(3, arg.Length)].ToUpperInvariant();
                return day is "MON" or "TUE" or "WED" or "THU" or "FRI" or "SAT" or "SUN"
                    ? $"0 {minute} {hour} ? * {day}"
                    : throw new InputException(field, $"'{text}': '{arg}' is not a weekday (mon..sun)");
            case "monthly" when arg.Length > 0:
                return int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var dom) && dom is >= 1 and <= 31
                    ? $"0 {minute} {hour} {dom} * ?"
                    : arg.Equals("last", StringComparison.OrdinalIgnoreCase)
                        ? $"0 {minute} {hour} L * ?"
                        : throw new InputException(field, $"'{text}': '{arg}' is not a day of the month (1..31 or last)");
            default:
                throw new InputException(field, $"'{text}' is not a cadence shortcut; use daily@06:00, weekly@mon 06:00 or monthly@1 06:00");
        }
    }

    [GeneratedRegex(@"^(?<kind>daily|weekly|monthly)@(?:(?<arg>[A-Za-z]+|\d{1,2})\s+)?(?<h>\d{1,2}):(?<m>\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex ShortcutPattern();
}
