using System.CommandLine;
using CarrierReports.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Health;

/// <summary><c>health</c>: prints the report; exit code 0 when healthy, 1 when not (for monitoring scripts).</summary>
public static class HealthCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("health", "Database, cluster members (last check-in), triggers, stuck runs, the oldest overdue subscription and the last failed run; exit 1 when unhealthy. serve answers GET /health too when Health:Url is set.");
        command.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var report = await services.GetRequiredService<HealthCheck>().CheckAsync(ct);
            await cli.Out.WriteLineAsync(report.ToText());
            return report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
