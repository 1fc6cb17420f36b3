using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CarrierReports.Cli;

/// <summary>
/// The lean host of a one-shot command such as <c>report</c>: the settings the generic host would read, console logging
/// to stderr, the clock and only the features the command names. The generic host with every feature (identity, the
/// scheduler, mail, health, the web stack's logging providers) costs about a third of a second before the first SQL
/// statement, which a command that writes one report never uses (README, Benchmarks, start time).
/// </summary>
public sealed class CommandHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CommandHost(ServiceProvider services, IConfiguration configuration)
    {
        _services = services;
        Configuration = configuration;
    }

    public IServiceProvider Services => _services;

    public IConfiguration Configuration { get; }

    /// <param name="configuration">From <see cref="AppHost.CreateConfiguration"/>.</param>
    /// <param name="level">The one level every log line must reach (as <see cref="CliContext.BuildHost"/> sets for one-shot commands).</param>
    /// <param name="features">The command's registrations.</param>
    /// <param name="configure">Lets tests replace services (e.g. the clock), after the features.</param>
    public static CommandHost Create(ConfigurationManager configuration, LogLevel level, Action<IServiceCollection> features, Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging =>
        {
            // Only the console provider: the settings' Logging:Console section still shapes its lines, but a one-shot
            // command's log lines all go to stderr and none is below the command's level, as under the generic host.
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddConsole();
            logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.SpanId | ActivityTrackingOptions.TraceId | ActivityTrackingOptions.ParentId);
        });
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = level;
        });
        services.AddSingleton(TimeProvider.System);
        features(services);
        configure?.Invoke(services);
        var development = AppHost.IsDevelopment(configuration[HostDefaults.EnvironmentKey]);
        return new CommandHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development }), configuration);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
