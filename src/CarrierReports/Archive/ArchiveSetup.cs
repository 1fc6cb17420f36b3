using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Archive;

public static class ArchiveSetup
{
    /// <summary>Registers <see cref="ArchiveStore"/>; the root setting is checked at host start.</summary>
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddSettings<ArchiveOptions>(ArchiveOptions.Section);
        services.AddSingleton<ArchiveStore>();
        services.AddSingleton<ArchivedArtifacts>();
        return services;
    }
}
