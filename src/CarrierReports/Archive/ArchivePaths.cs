using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CarrierReports.Archive;

/// <summary>
/// Turns input (carrier ids, subscription names, file names) into path components that cannot leave the archive,
/// and checks every final path against the root anyway.
/// </summary>
internal static class ArchivePaths
{
    public const int MaxComponentLength = 80;

    /// <summary>
    /// Keeps ASCII letters, digits, '.', '-' and '_', replaces everything else (slashes, backslashes, colons, spaces,
    /// non-ASCII) with '_', and leading dots too, so "..", "." and hidden names cannot appear.
    /// </summary>
    public static string Sanitize(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InputException(field, "is empty");
        }

        var text = value.Trim();
        var safe = new StringBuilder(text.Length);
        var leading = true;
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && !leading);
            safe.Append(ok ? c : '_');
            leading = leading && c == '.';
        }

        var result = safe.ToString();
        return result.Length > MaxComponentLength ? result[..MaxComponentLength] : result;
    }

    /// <summary>Returns the full path of <paramref name="relative"/> under <paramref name="root"/>, or throws if it would escape.</summary>
    public static string Under(string root, string relative, string field)
    {
        var fullRoot = Path.GetFullPath(root);
        var rootWithSeparator = Path.EndsInDirectorySeparator(fullRoot) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InputException(field, $"'{relative}' resolves outside the archive root");
        }

        return full;
    }

    /// <summary>A local date, or date and time when the period does not start or end at midnight (e.g. <c>2026-10-01T0600</c>).</summary>
    public static string Stamp(DateTimeOffset local) => local.TimeOfDay == TimeSpan.Zero
        ? local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : local.ToString("yyyy-MM-dd'T'HHmm", CultureInfo.InvariantCulture);

    /// <summary>First 12 hex digits of SHA-256 over the entry's relative path: stable, short enough to type.</summary>
    public static string EntryId(string relativePath) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(relativePath)))[..12];

    public static bool IsEntryId(string text) => text.Length == 12 && text.All(char.IsAsciiHexDigit);
}
