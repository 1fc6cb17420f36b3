using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace CarrierReports.Cli;

/// <summary>Which settings files a command read: told when a command finds nothing, so a wrong folder is obvious.</summary>
public static class SettingsFiles
{
    /// <summary>"settings: /srv/reports/demo.settings.json and environment variables", or that no settings file was found where.</summary>
    public static string Describe(IConfiguration configuration)
    {
        var files = Json(configuration).Select(Path).OfType<string>().Where(File.Exists).ToList();
        return files.Count == 0
            ? $"settings: no appsettings.json in {Directory.GetCurrentDirectory()} and no --config, only defaults and environment variables"
            : $"settings: {string.Join(", ", files)} and environment variables";
    }

    /// <summary>The JSON settings files in the order they are read (later ones win).</summary>
    public static IEnumerable<JsonConfigurationProvider> Json(IConfiguration configuration) =>
        configuration is IConfigurationRoot root ? root.Providers.OfType<JsonConfigurationProvider>() : [];

    /// <summary>The full path of a settings file, found or not.</summary>
    public static string? Path(FileConfigurationProvider provider) =>
        provider.Source.Path is not { } relative ? null
        : provider.Source.FileProvider?.GetFileInfo(relative).PhysicalPath ?? System.IO.Path.GetFullPath(relative);
}
