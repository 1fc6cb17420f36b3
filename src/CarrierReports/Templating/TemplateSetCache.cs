using System.Collections.Concurrent;

namespace CarrierReports.Templating;

/// <summary>
/// Parsed template sets by full folder path, so each folder is read and parsed once per process. A folder that fails
/// to load is not remembered: fixing the file and retrying works without a restart; editing a folder that already
/// loaded needs one.
/// </summary>
internal sealed class TemplateSetCache
{
    private readonly ConcurrentDictionary<string, Lazy<TemplateSet>> _sets = new(StringComparer.Ordinal);

    /// <param name="folder">A template folder; null for <see cref="TemplateFolder.ResolveDefault"/>.</param>
    public TemplateSet Get(string? folder)
    {
        var key = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder ?? TemplateFolder.ResolveDefault()));
        var entry = _sets.GetOrAdd(key, k => new Lazy<TemplateSet>(() => TemplateSet.Load(k)));
        try
        {
            return entry.Value;
        }
        catch (InputException)
        {
            _sets.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }
}
