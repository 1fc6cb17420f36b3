using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Subscriptions;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Runs;

/// <summary>Tells operations (<c>Mail:OperationsAddress</c>) about a period that failed for good, once per period.</summary>
public sealed class RunAlerts(MailDelivery mail, RunClaims claims, TimeProvider time, ILogger<RunAlerts> logger)
{
    /// <summary>Tells the operations address (when configured) that a run has failed for good.</summary>
    public async Task AlertAsync(Subscription s, DateTimeOffset asOf, int attempts, Exception error, CancellationToken cancellationToken)
    {
        var period = s.PeriodFor(asOf);
        var subject = $"CarrierReports: subscription {s.Id} failed for {ReportFormat.LocalTime(period.LocalFrom)}";
        var text = $"""
            Subscription {s.Id} ({s.Name}) failed after {attempts} attempt(s) on node {claims.Node}.
            Period: {ReportFormat.LocalTime(period.LocalFrom)} to {ReportFormat.LocalTime(period.LocalTo)} ({period.ZoneId}),
                    UTC {ReportFormat.UtcTime(period.UtcFrom)} to {ReportFormat.UtcTime(period.UtcTo)}
            Error: {error.Message}

            See: runs list --subscription {s.Id} --status failed
            """;
        try
        {
            await mail.SendAlertAsync(new DeliveryKey("ops-" + s.Id, period.UtcFrom, period.UtcTo), subject, text, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.AlertFailed(logger, s.Id, ex.Message);
        }
    }
}
