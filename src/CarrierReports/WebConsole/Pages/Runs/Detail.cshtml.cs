using CarrierReports.Archive;
using CarrierReports.Audit;
using CarrierReports.Delivery;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;

namespace CarrierReports.WebConsole.Pages.Runs;

/// <summary>
/// <c>/runs/{id}</c>: one run's timeline, files and deliveries; for operators, retry (failed runs) and resend to one
/// recipient, each behind a confirmation that says what will happen. The actions call the same services and write the
/// same audit rows as <see cref="OperatorEndpoints"/> and <see cref="ResendEndpoints"/>.
/// </summary>
public sealed class RunDetailModel(RunLedger ledger, SubscriptionCarriers carriers, ArchiveStore archive, ResendStore resends) : ConsolePageModel
{
    public RunRecord Run { get; private set; } = null!;
    public string? Carrier { get; private set; }
    public IReadOnlyList<ArtifactRecord> Artifacts { get; private set; } = [];
    public IReadOnlyList<DeliveryRecord> Deliveries { get; private set; } = [];
    public IReadOnlyList<ResendRecord> Resends { get; private set; } = [];
    public ArchiveEntry? Entry { get; private set; }
    public bool SeesAddresses => DefinitionView.SeesAddresses(Actor.Role);

    /// <summary>"retry" to show the retry confirmation.</summary>
    [BindProperty(SupportsGet = true)] public string? Confirm { get; set; }

    /// <summary>The address a resend is being confirmed for.</summary>
    [BindProperty(SupportsGet = true)] public string? Resend { get; set; }

    [TempData] public string? Message { get; set; }
    [TempData] public string? Failure { get; set; }

    public IEnumerable<string> DeliveredTo => Deliveries.Where(d => d.Outcome == DeliveryOutcome.Delivered).Select(d => d.Recipient).Distinct();
    public IEnumerable<string> NotDeliveredTo => Deliveries.Where(d => d.Outcome != DeliveryOutcome.Delivered).Select(d => d.Recipient).Distinct();
    public bool CanRetry => Run.Status == RunStatus.Failed && May(Policies.Operator);
    public bool CanResend => May(Policies.Operator) && DeliveredTo.Any() && Artifacts.Any(a => a.ArchiveId is not null);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }

        if (Resend is not null && (!CanResend || !DeliveredTo.Contains(Resend, StringComparer.OrdinalIgnoreCase)))
        {
            ModelState.AddModelError(nameof(Resend), $"'{Resend}' did not receive this period; choose one of the delivered recipients");
            Resend = null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, [FromServices] SubscriptionStore store, [FromServices] SubscriptionRunner runner,
        [FromServices] AuditTrail trail, CancellationToken cancellationToken)
    {
        // Razor Pages ignore [Authorize] on handlers, so the operator check is here.
        if (!May(Policies.Operator))
        {
            return StatusCode(403);
        }

        var run = await ledger.FindAsync(id, cancellationToken);
        var found = run is null ? null : await store.FindAsync(run.SubscriptionId, Actor.Scope, cancellationToken);
        if (run is null || found is null)
        {
            return NotFoundPage();
        }

        if (run.Status != RunStatus.Failed)
        {
            Failure = $"Run {id} is {run.Status.Name()}; only a failed run is retried.";
            return RedirectToPage(new { id });
        }

        try
        {
            // The same fire time, so the same period: recipients who already have it are not sent it again.
            var record = await runner.RunAsync(found.Subscription, run.ScheduledAt, RunTrigger.Retry, run.Attempt + 1, cancellationToken);
            await trail.AppendAsync(new AuditRecord(Actor, "runs.retry", id, After: AuditRecord.Json(new { record.RunId, Status = record.Status.Name() }),
                ClientAddress: HttpContext.ClientAddress()), cancellationToken);
            Message = $"Retry started as run {record.RunId}: {record.Status.Name()}.";
            return Redirect(ConsoleUrls.Run(record.RunId));
        }
        catch (RunBusyException busy)
        {
            Failure = $"{busy.Message} Wait for it to finish, then reload this page.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await trail.AppendAsync(new AuditRecord(Actor, "runs.retry", id, ClientAddress: HttpContext.ClientAddress(), Outcome: "error"), cancellationToken);
            Failure = $"The retry failed: {ex.Message}";
        }

        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostResendAsync(string id, [FromServices] ResendService service, [FromServices] AuditTrail trail,
        CancellationToken cancellationToken)
    {
        if (!May(Policies.Operator))
        {
            return StatusCode(403);
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }

        var target = $"{Run.SubscriptionId}/{Run.PeriodFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        try
        {
            var record = await service.ResendAsync(Run, Resend, allowOtherAddress: false, Actor, cancellationToken);
            await trail.AppendAsync(new AuditRecord(Actor, "runs.resend", target, After: AuditRecord.Json(new
            {
                record.ResendId, record.RunId, record.Recipient, allowOtherAddress = false, record.MessageId, Files = record.Files.Split('\n'),
            }), ClientAddress: HttpContext.ClientAddress(), Outcome: record.Outcome == "delivered" ? AuditRecord.Success : "failed"), cancellationToken);
            if (record.Outcome == "delivered")
            {
                Message = $"Resent to {record.Recipient}: the mail server answered \"{record.SmtpReply}\" (Message-ID {record.MessageId}).";
            }
            else
            {
                Failure = $"The mail server did not accept the resend to {record.Recipient}: {record.SmtpReply ?? record.Error}. Check the mail settings and try again.";
            }
        }
        catch (InputException ex)
        {
            Failure = $"{ex.Field}: {ex.Reason}";
        }
        catch (OperatorActionException ex)
        {
            await trail.AppendAsync(new AuditRecord(Actor, "runs.resend", target, After: AuditRecord.Json(new { Run.RunId, recipient = Resend, allowOtherAddress = false }),
                ClientAddress: HttpContext.ClientAddress(), Outcome: ex.Status == 500 ? "integrity-error" : "refused"), cancellationToken);
            Failure = $"{ex.Title}: {ex.Message}";
        }

        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var run = await ledger.FindAsync(id, cancellationToken);
        if (run is null || !await carriers.AllowsAsync(Actor.Scope, run.SubscriptionId, cancellationToken))
        {
            return false;
        }

        Run = run;
        Carrier = (await carriers.MapAsync([run.SubscriptionId], cancellationToken)).GetValueOrDefault(run.SubscriptionId);
        Artifacts = await ledger.ArtifactsAsync(id, cancellationToken);
        Deliveries = await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken);
        Resends = await resends.ListAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken);
        if (Artifacts.FirstOrDefault(a => a.ArchiveId is not null)?.ArchiveId is { } entryId)
        {
            Entry = (await archive.ListAsync(cancellationToken)).FirstOrDefault(e => e.Id == entryId);
        }

        return true;
    }
}
