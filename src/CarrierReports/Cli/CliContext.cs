using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CarrierReports.Cli;

/// <summary>
/// What every command shares: the output writers, the options every command accepts (<c>--config</c>,
/// <c>--verbose</c>) and the host a command's action runs in. Features build their <see cref="Command"/> from this,
/// so they never reach back into the root command.
/// </summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? configure)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Settings that win over every file and variable (tests, and values the CLI derives).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; } = settings;

    /// <summary>Lets tests replace services (e.g. the clock).</summary>
    public Action<IServiceCollection>? Configure { get; } = configure;

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "An extra JSON settings file, read after appsettings.json; environment variables still override it.",
        HelpName = "file.json",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print stack traces and debug logs.",
        Recursive = true,
    };

    /// <summary>Builds the host, runs <paramref name="run"/> in it and disposes it.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, Task<int>> run)
    {
        using var host = BuildHost(parse);
        return await run(host.Services);
    }

    /// <summary>
    /// Runs <paramref name="run"/> in a lean host of only <paramref name="features"/> (<see cref="CommandHost"/>), for a
    /// one-shot command that needs few of them: same settings, logging and test hooks as <see cref="BuildHost"/>.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, Action<IServiceCollection> features, Func<IServiceProvider, Task<int>> run)
    {
        var level = parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning;
        var configuration = AppHost.CreateConfiguration(parse.GetValue(Config), Settings);
        LastConfiguration = configuration;
        await using var host = CommandHost.Create(configuration, level, features, Configure);
        return await run(host.Services);
    }

    /// <summary>The settings of the last host a command built, so an error can name what they hold (e.g. the database role).</summary>
    public IConfiguration? LastConfiguration { get; private set; }

    /// <param name="add">Extra registrations (the scheduler, for <c>serve</c> and the demo).</param>
    /// <param name="service">A long-running service (<c>serve</c>): keeps information logs and the Logging settings.</param>
    /// <param name="configFile">A settings file the command chose itself (the demo's); otherwise <c>--config</c>.</param>
    public IHost BuildHost(ParseResult parse, Action<HostApplicationBuilder>? add = null, bool service = false, string? configFile = null)
    {
        var verbose = parse.GetValue(Verbose);
        var level = verbose ? LogLevel.Debug : service ? LogLevel.Information : LogLevel.Warning;
        var builder = AppHost.CreateBuilder(configFile ?? parse.GetValue(Config), Settings, level);
        LastConfiguration = builder.Configuration;
        add?.Invoke(builder);
        if (!service)
        {
            // A one-shot command's output is its stdout: log lines go to stderr, and the settings' Logging section
            // (the sample turns Information on for the service) cannot make them chattier than warnings.
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.PostConfigure<LoggerFilterOptions>(o =>
            {
                o.Rules.Clear();
                o.MinLevel = level;
            });
        }

        Configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
