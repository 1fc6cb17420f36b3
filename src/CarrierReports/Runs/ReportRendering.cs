using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Storage;
using CarrierReports.Subscriptions;
using CarrierReports.Templating;
using CarrierReports.Time;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>A subscription's report for one fire time, rendered as a run renders it, but not archived, recorded or sent.</summary>
/// <param name="Files">Every file of the run, the manifest included (it is archived, never attached).</param>
public sealed record RenderedReport(Subscription Subscription, DateTimeOffset FireTime, DeliveryKey Key, AsrPerRouteReport Report, RenderOptions Options,
    IReadOnlyList<Artifact> Files)
{
    public IReadOnlyList<Artifact> Attachments { get; } = [.. Files.Where(a => a.Format != "manifest")];

    public long AttachmentBytes => Attachments.Sum(a => (long)a.Content.Length);
}

/// <summary>
/// The report and mail of a subscription's period for the operator actions that show or send it outside a run (preview,
/// test-send). The steps and components are the runner's (<see cref="AsrPerRouteService"/>, <see cref="ReportArtifacts"/>,
/// <see cref="TemplateRenderer"/>); there is no second rendering path. Nothing is written: no run, no archive entry, no delivery.
/// </summary>
public sealed class ReportRendering(AsrPerRouteService reports, ReportArtifacts artifacts, TemplateRenderer templates, ServiceDatabase database,
    IConfiguration configuration, IOptions<MailOptions> mail, TimeProvider time)
{
    public async Task<RenderedReport> RenderAsync(Subscription s, DateTimeOffset fire, CancellationToken cancellationToken)
    {
        var period = s.PeriodFor(fire);
        // As the runner does: a period already run is generated "at" its first fire time, so the preview shows the
        // bytes a re-run would send; a period never run at this fire time.
        var generatedAt = await FirstScheduledAsync(s.Id, period, cancellationToken) ?? fire;
        var request = new AsrPerRouteRequest(s.Carrier, CarrierNames.Lookup(configuration, s.Carrier), period, s.Bucket) { GeneratedAt = generatedAt };
        var report = await reports.RunAsync(request, cancellationToken);
        var options = new RenderOptions { AsrWarningThresholdPct = s.AsrWarningThresholdPct, MinimumSample = s.MinimumSample, TemplateFolder = s.TemplateFolder };
        options = options with { Texts = templates.RenderReportTexts(report, options, cancellationToken) };
        var files = await artifacts.RenderAsync(report, s.Formats, options, cancellationToken);
        return new RenderedReport(s, fire, new DeliveryKey(s.Id, period.UtcFrom, period.UtcTo), report, options, files);
    }

    /// <summary>The latest fire time whose period has settled (what a run now would report); an <see cref="InputException"/> naming <paramref name="field"/> when none has.</summary>
    public DateTimeOffset LatestSettledFire(Subscription s, string field)
    {
        var now = time.GetUtcNow();
        var latest = s.LatestFireAtOrBefore(now - s.SettleDelay);
        return latest is { } l && s.PeriodFor(l).UtcTo + s.SettleDelay <= now
            ? l
            : throw new InputException(field, $"the cadence '{s.Cadence}' has no settled period yet; give a point such as now-1d");
    }

    /// <summary>The fire time for an operator's <c>asOf</c> (a point such as <c>now-1d</c> or an ISO time), or the latest settled one.</summary>
    public DateTimeOffset FireFor(Subscription s, string? asOf, string field) =>
        asOf is null ? LatestSettledFire(s, field) : RangeExpression.ResolvePoint(asOf, s.TimeZone, time.GetUtcNow(), field);

    /// <summary>The mail text as <see cref="MailDelivery"/> would send it: with attachments, or the archive references when they are over the size limit.</summary>
    public MailContent Content(RenderedReport r, IReadOnlyList<ArchiveReference> references, CancellationToken cancellationToken) =>
        OverLimit(r)
            ? ContentWithoutAttachments(r, references, cancellationToken)
            : templates.RenderMail(r.Report, r.Options, r.Attachments, MailExtras.None, cancellationToken);

    public MailContent ContentWithoutAttachments(RenderedReport r, IReadOnlyList<ArchiveReference> references, CancellationToken cancellationToken) =>
        templates.RenderMail(r.Report, r.Options, r.Attachments, new MailExtras { AttachmentsOmitted = true, ArchiveReferences = references }, cancellationToken);

    public bool OverLimit(RenderedReport r) => r.AttachmentBytes > mail.Value.MaxAttachmentBytes;

    private async Task<DateTimeOffset?> FirstScheduledAsync(string id, ReportPeriod period, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Instants.FromDb(await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(scheduled_at) FROM cr_runs WHERE subscription_id = @Sub AND period_from = @From AND period_to = @To",
            new { Sub = id, From = period.UtcFrom.UtcDateTime, To = period.UtcTo.UtcDateTime }, cancellationToken: cancellationToken)));
    }
}
