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
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new InputException("--config", $"file '{configFile}' does not exist");
            }

            builder.Configuration.AddJsonFile(path, optional: false);
            builder.Configuration.AddEnvironmentVariables();
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

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
