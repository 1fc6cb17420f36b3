using System.Globalization;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>How the subscription pages write times: in the subscription's zone on the page, UTC in the title (hover).</summary>
public static class When
{
    public static string Local(DateTimeOffset local) => local.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A period as <c>from → to</c> in its zone (dates only when both ends are midnight).</summary>
    public static string Period(DateTimeOffset from, DateTimeOffset to) =>
        from.TimeOfDay == TimeSpan.Zero && to.TimeOfDay == TimeSpan.Zero
            ? $"{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} → {to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            : $"{from.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} → {to.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}";
}
