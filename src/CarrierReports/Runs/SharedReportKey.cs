using System.Security.Cryptography;
using System.Text;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using CarrierReports.Time;

namespace CarrierReports.Runs;

/// <summary>
/// Everything that decides the bytes of a subscription's rendered files: two runs with equal keys render identical
/// files, so one rendering can serve both. Recipients, the subscription id and skip-if-empty are not in it: they
/// change who gets the files and what is recorded, not the files. The data is the same because a period is only run
/// once settled, and a shared rendering is reused only within <see cref="RunOptions.ShareReportsFor"/>.
/// </summary>
/// <param name="Range">The range expression: the files' manifest states it.</param>
/// <param name="Templates">SHA-256 over the template folder's files (names and contents), not its path.</param>
/// <param name="GeneratedAt">The period's first fire time, which the files state as their generation time.</param>
public sealed record SharedReportKey(string Carrier, DateTimeOffset UtcFrom, DateTimeOffset UtcTo, string Range, string ZoneId, string Bucket,
    string Formats, string Templates, decimal AsrWarningThresholdPct, long MinimumSample, DateTimeOffset GeneratedAt)
{
    public static SharedReportKey For(Subscription s, ReportPeriod period, DateTimeOffset generatedAt) => new(
        s.Carrier, period.UtcFrom, period.UtcTo, s.Range, s.TimeZone.Id, s.Bucket.Name(),
        string.Join(',', s.Formats.Select(f => f.ToString().ToLowerInvariant())), TemplateHash(s.TemplateFolder),
        s.AsrWarningThresholdPct, s.MinimumSample, generatedAt);

    /// <summary>A few small files, hashed for each run: an edit of a template changes the key at once.</summary>
    internal static string TemplateHash(string? folder)
    {
        var path = Path.GetFullPath(folder ?? TemplateFolder.ResolveDefault());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes("templates-v1\n"));
        var files = Directory.Exists(path) ? Directory.GetFiles(path).Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}\n{bytes.Length}\n"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
