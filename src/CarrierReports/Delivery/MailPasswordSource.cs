using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CarrierReports.Delivery;

/// <summary>
/// Refuses a <c>Mail:Password</c> written in a JSON settings file (appsettings.json, <c>--config</c>): such files are
/// copied, mailed and committed. The password belongs in the environment (<c>Mail__Password</c>) or in user secrets.
/// </summary>
public sealed class MailPasswordSource(IConfiguration configuration) : IValidateOptions<MailOptions>
{
    private const string Key = MailOptions.Section + ":Password";

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return ValidateOptionsResult.Success;
        }

        var files = root.Providers.OfType<FileConfigurationProvider>()
            .Where(p => p.TryGet(Key, out var value) && !string.IsNullOrEmpty(value) && !IsUserSecrets(p))
            .Select(p => p.Source.FileProvider?.GetFileInfo(p.Source.Path ?? "").PhysicalPath ?? p.Source.Path)
            .ToList();
        return files.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{Key}: is set in the settings file {string.Join(", ", files)}; remove it there and set the environment variable Mail__Password (or user secrets: dotnet user-secrets set Mail:Password <value>)");
    }

    /// <summary>User secrets are a JSON file too, kept outside the project under a "UserSecrets" folder: the right place.</summary>
    private static bool IsUserSecrets(FileConfigurationProvider provider) =>
        provider.Source.Path == "secrets.json"
        && provider.Source.FileProvider?.GetFileInfo("secrets.json").PhysicalPath is { } path
        && path.Contains("usersecrets", StringComparison.OrdinalIgnoreCase);
}
