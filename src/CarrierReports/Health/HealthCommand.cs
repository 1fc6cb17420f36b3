using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Health;

/// <summary><c>health</c>: prints the report; exit code 0 when healthy, 1 when not (for monitoring scripts).</summary>
public static class HealthCommand
{
    public static readonly string[] Options = ["--config"];

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<HealthCheck>().CheckAsync(cancellationToken);
        await stdout.WriteLineAsync(report.ToText());
        return report.Healthy ? Cli.CliApp.Ok : Cli.CliApp.Failed;
    }
}
