using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Cdr;
using CarrierReports.Delivery;
using CarrierReports.Health;
using CarrierReports.Identity;
using CarrierReports.Recipients;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Rendering.Xlsx;
using CarrierReports.Rendering.Pdf;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Rollups;
using CarrierReports.Runs;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarrierReports;

/// <summary>Builds the host every command runs in: configuration, logging and the feature registrations.</summary>
public static class AppHost
{
    /// <param name="configFile">An extra JSON settings file (<c>--config</c>); environment variables still override it.</param>
    /// <param name="overrides">Settings that win over everything (tests, and values the CLI derives).</param>
    public static HostApplicationBuilder CreateBuilder(string? configFile, IReadOnlyDictionary<string, string?>? overrides, LogLevel minimumLevel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = HostArgs, ContentRootPath = Directory.GetCurrentDirectory() });
        Configure(builder, configFile, overrides, minimumLevel);
        return builder;
    }

    /// <summary>The same host with Kestrel in it, for <c>serve</c> (see <see cref="Web.ServeCommand"/>).</summary>
    public static WebApplicationBuilder CreateWebBuilder(string? configFile, IReadOnlyDictionary<string, string?>? overrides, LogLevel minimumLevel)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = HostArgs, ContentRootPath = Directory.GetCurrentDirectory() });
        Configure(builder, configFile, overrides, minimumLevel);
        return builder;
    }

    // No file watching: settings are read at start. With it on, the host watches the whole working folder,
    // which under `serve` includes every new archive folder, and runs into the system's file-watch limit.
    private static readonly string[] HostArgs = ["--hostBuilder:reloadConfigOnChange=false"];

    private static void Configure(IHostApplicationBuilder builder, string? configFile, IReadOnlyDictionary<string, string?>? overrides, LogLevel minimumLevel)
    {
        AddCommandSettings(builder.Configuration, configFile, overrides);
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCdrSource();
        builder.Services.AddRollups();
        builder.Services.AddReports();
        builder.Services.AddDelivery();
        builder.Services.AddArchive();
        builder.Services.AddServiceDatabase();
        builder.Services.AddSubscriptions();
        builder.Services.AddRecipients();
        builder.Services.AddRuns();
        builder.Services.AddHealth();
        builder.Services.AddIdentityStore().AddAudit();
    }

    /// <summary>
    /// The settings a command reads, without a host: the generic host's sources in its order (DOTNET_ variables, the
    /// host's own keys, appsettings.json, appsettings.{environment}.json, user secrets in Development, environment
    /// variables), then <c>--config</c> and the overrides, as <see cref="CreateBuilder"/> gives them.
    /// For the lean host of one-shot commands (<see cref="Cli.CommandHost"/>).
    /// </summary>
    public static ConfigurationManager CreateConfiguration(string? configFile, IReadOnlyDictionary<string, string?>? overrides)
    {
        var configuration = new ConfigurationManager();
        var root = Directory.GetCurrentDirectory();
        configuration.AddEnvironmentVariables(prefix: "DOTNET_");
        configuration.AddInMemoryCollection([new(HostDefaults.ContentRootKey, root), new("hostBuilder:reloadConfigOnChange", "false")]);
        configuration.SetBasePath(root);
        var environment = configuration[HostDefaults.EnvironmentKey] is { Length: > 0 } name ? name : Environments.Production;
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false);
        if (IsDevelopment(environment))
        {
            configuration.AddUserSecrets(typeof(AppHost).Assembly, optional: true, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        AddCommandSettings(configuration, configFile, overrides);
        return configuration;
    }

    /// <summary>The generic host validates scopes and registrations on build in Development; the lean host does the same.</summary>
    public static bool IsDevelopment(string? environment) => string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase);

    /// <summary>What a command adds to the host's settings: <c>--config</c> (then environment variables again) and the overrides.</summary>
    private static void AddCommandSettings(IConfigurationBuilder configuration, string? configFile, IReadOnlyDictionary<string, string?>? overrides)
    {
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new InputException("--config", $"file '{configFile}' does not exist");
            }

            configuration.AddJsonFile(path, optional: false);
            configuration.AddEnvironmentVariables();
        }

        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    /// <summary>What <c>report</c> uses: the CDR source, the rollups' read path (and the service database it reads) and rendering.</summary>
    public static IServiceCollection AddReportFeatures(this IServiceCollection services)
    {
        services.AddCdrSource();
        services.AddRollups();
        services.AddServiceDatabase();
        return services.AddReports();
    }

    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddReportLimits();
        services.AddSingleton<AsrPerRouteService>();
        services.AddSingleton<IReportRenderer, CsvReportRenderer>();
        services.AddSingleton<IReportRenderer, XlsxReportRenderer>();
        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<IReportRenderer, PdfReportRenderer>();
        services.AddSingleton<ReportArtifacts>();
        return services;
    }
}
