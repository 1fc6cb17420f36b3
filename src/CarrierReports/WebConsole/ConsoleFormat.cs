using System.Globalization;
using System.Text.Encodings.Web;
using CarrierReports.Time;
using Microsoft.AspNetCore.Html;

namespace CarrierReports.WebConsole;

/// <summary>How the console shows times: in the zone of what is shown, with the exact UTC instant on hover (<c>title</c>) and in <c>datetime</c>.</summary>
public static class ConsoleFormat
{
    /// <summary>A <c>&lt;time&gt;</c> element: local text in <paramref name="zone"/> (<c>yyyy-MM-dd HH:mm</c>, or as <paramref name="format"/>), UTC in the title.</summary>
    public static IHtmlContent Time(DateTimeOffset instant, TimeZoneInfo zone, string format = "yyyy-MM-dd HH:mm")
    {
        var local = zone.ToLocal(instant);
        var utc = instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var text = local.ToString(format, CultureInfo.InvariantCulture);
        var enc = HtmlEncoder.Default;
        return new HtmlString($"<time datetime=\"{utc}\" title=\"UTC {enc.Encode(instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}\">{enc.Encode(text)}</time>");
    }

    /// <summary>The local format that fits a bucket size: a month, a day, or a day and hour.</summary>
    public static string BucketFormat(BucketSize size) => size switch
    {
        BucketSize.Month => "yyyy-MM",
        BucketSize.Day => "yyyy-MM-dd (ddd)",
        _ => "yyyy-MM-dd HH:mm",
    };
}
