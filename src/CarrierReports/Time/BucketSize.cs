namespace CarrierReports.Time;

/// <summary>The width of one report bucket, always in the report's local time.</summary>
public enum BucketSize
{
    Hour,
    Day,
    Month,
}

public static class BucketSizes
{
    public static bool TryParse(string? text, out BucketSize bucket)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "hour" or "hourly": bucket = BucketSize.Hour; return true;
            case "day" or "daily": bucket = BucketSize.Day; return true;
            case "month" or "monthly": bucket = BucketSize.Month; return true;
            default: bucket = default; return false;
        }
    }

    /// <summary>Parses a bucket name or throws an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static BucketSize Parse(string? text, string field) =>
        TryParse(text, out var bucket)
            ? bucket
            : throw new InputException(field, $"'{text}' is not a bucket; use hour, day or month");

    public static string Name(this BucketSize bucket) => bucket switch
    {
        BucketSize.Hour => "hour",
        BucketSize.Day => "day",
        BucketSize.Month => "month",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };
}
