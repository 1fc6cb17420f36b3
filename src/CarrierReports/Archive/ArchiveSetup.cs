using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Archive;

public static class ArchiveSetup
{
    /// <summary>Registers <see cref="ArchiveStore"/>; the root setting is checked at host start.</summary>
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddOptions<ArchiveOptions>()
            .BindConfiguration(ArchiveOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Root), $"{ArchiveOptions.Section}:Root: is empty")
            .ValidateOnStart();
        services.AddSingleton<ArchiveStore>();
        services.AddSingleton<ArchivedArtifacts>();
        return services;
    }
}
