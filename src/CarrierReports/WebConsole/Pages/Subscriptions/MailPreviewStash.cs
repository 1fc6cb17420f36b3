using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// Rendered mail previews, kept briefly so the page can show the HTML body in a sandboxed frame and offer the files
/// from URLs of their own without rendering the report again for each request. A preview belongs to the user who
/// asked for it; another user gets nothing for its token.
/// </summary>
public sealed class MailPreviewStash(TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(30);

    /// <summary>The most previews kept at once (oldest dropped first): a bound on memory however often people click.</summary>
    public const int MaxEntries = 200;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record StashedFile(string FileName, string ContentType, byte[] Content);

    public sealed record Entry(string Owner, string HtmlBody, IReadOnlyList<StashedFile> Files, DateTimeOffset Until);

    /// <returns>The token that names the preview in its URLs.</returns>
    public string Add(string owner, string htmlBody, IReadOnlyList<StashedFile> files)
    {
        var now = time.GetUtcNow();
        foreach (var old in _entries.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(old, out _);
        }

        while (_entries.Count >= MaxEntries && _entries.OrderBy(e => e.Value.Until).Select(e => e.Key).FirstOrDefault() is { } oldest)
        {
            _entries.TryRemove(oldest, out _);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _entries[token] = new Entry(owner, htmlBody, files, now + KeepFor);
        return token;
    }

    /// <returns>Null when unknown, expired or someone else's.</returns>
    public Entry? Find(string token, string owner) =>
        _entries.TryGetValue(token, out var e) && e.Owner == owner && e.Until > time.GetUtcNow() ? e : null;
}
