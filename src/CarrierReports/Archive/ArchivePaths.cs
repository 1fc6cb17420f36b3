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

    /// <summary>True for 64 lower-case hex digits, the form every SHA-256 in a manifest is written in.</summary>
    public static bool IsSha256(string? text) => text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>
    /// Why <paramref name="name"/> is not a plain file name (null when it is). Names read from a manifest are hostile
    /// input: one that is rooted, holds a separator or is "."/".." would lead a copy or a check out of the entry folder.
    /// </summary>
    public static string? PlainFileNameError(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name.Length > 255)
        {
            return $"is {name.Length} characters long; at most 255 are allowed";
        }

        if (name.Any(char.IsControl))
        {
            return $"'{Printable(name)}' contains a control character";
        }

        if (name is "." or ".." || name.IndexOfAny(['/', '\\', ':']) >= 0 || Path.IsPathRooted(name))
        {
            return $"'{name}' is not a plain file name (no folder, drive, separator, '.' or '..' is allowed)";
        }

        return null;
    }

    /// <summary>The text with control characters shown as <c>\uXXXX</c>, so an error message cannot break a terminal or a log line.</summary>
    public static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
