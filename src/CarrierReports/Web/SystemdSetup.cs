using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace CarrierReports.Web;

/// <summary>
/// <c>serve</c> as a systemd service (Type=notify): readiness and stopping are reported to systemd and the console log
/// gets journald priorities. Outside systemd (a terminal, a container, the tests) nothing changes.
/// </summary>
public static class SystemdSetup
{
    public static void AddServiceManager(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSystemd();
        // Under systemd the framework switches the console to its "systemd" format; an explicitly chosen format (e.g.
        // Logging:Console:FormatterName=json for a log shipper reading the journal) still wins.
        if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } chosen)
        {
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = chosen);
        }
    }
}
