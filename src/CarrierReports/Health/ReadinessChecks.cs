using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CarrierReports.Health;

/// <summary>One line of the shared health report (<c>database</c>, <c>cluster</c>) as an ASP.NET Core health check.</summary>
public sealed class ReportItemHealthCheck(HealthReportCache cache, string item) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await cache.GetAsync(cancellationToken);
        var line = report.Items.FirstOrDefault(i => i.Check == item);
        if (line is null)
        {
            // The report stops after an unreachable database, so the later lines are missing rather than fine.
            return HealthCheckResult.Unhealthy($"{item}: not checked");
        }

        return line.Problem ? HealthCheckResult.Unhealthy(line.Detail) : HealthCheckResult.Healthy(line.Detail);
    }
}

/// <summary>This node's Quartz scheduler is started and not shutting down or paused.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler running")
            : HealthCheckResult.Unhealthy($"scheduler {status}");
    }
}
