using CarrierReports.Audit;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Time;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>The editor's actions besides saving: next fires, preview, test, run now, enable/disable, delete.</summary>
public sealed partial class EditModel
{
    /// <summary>The mail (subject, HTML, text) and files of the form as typed, for the period a run as of <see cref="AsOf"/> would report; sent to nobody.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (Draft() is { } s)
        {
            await TryAsync(async () =>
            {
                await using var rendered = await rendering.RenderAsync(s, rendering.FireFor(s, Blank(AsOf), "AsOf"), cancellationToken);
                var content = rendering.Content(rendered, MailPreview.References(rendered), cancellationToken);
                Preview = MailPreview.From(rendered, content, rendering.OverLimit(rendered), "", false);
                PreviewZone = s.TimeZone;
                PreviewToken = stash.Add(Actor.Name, content.HtmlBody,
                    [.. rendered.Attachments.Select(a => new MailPreviewStash.StashedFile(a.FileName, a.ContentType, MailPreview.Bytes(a)))]);
            });
        }

        return WithFires();
    }

    /// <summary>The form's mail, marked as a test, to <see cref="TestAddress"/> alone (outside the ledger: the real run still sends).</summary>
    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        if (await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (Draft() is { } s)
        {
            // A disabled subscription sends nothing on its own: say so before a test makes it look alive.
            if (!s.Enabled && !DisabledConfirmed)
            {
                DisabledWarning = "test";
                return WithFires();
            }

            await TryAsync(async () =>
            {
                var sent = await TestSendEndpoints.SendAsync(s, TestAddress, Blank(AsOf), Actor, HttpContext.ClientAddress(), rendering, mail, trail, cancellationToken);
                if (sent.Outcome == "delivered")
                {
                    Message = $"Test mail \"{sent.Subject}\" sent to {sent.Address} (mail server: {sent.SmtpReply}).";
                }
                else
                {
                    Error = $"The mail server did not accept the test mail to {sent.Address}: {sent.SmtpReply ?? sent.Error}";
                }
            });
        }

        return WithFires();
    }

    /// <summary>Runs the saved subscription now (as the API's run-now): recorded in the ledger, each recipient sent the period once.</summary>
    public async Task<IActionResult> OnPostRunAsync(CancellationToken cancellationToken)
    {
        if (IsNew || await LoadAsync(cancellationToken) is not null || !May(Policies.Operator))
        {
            return IsNew || Stored is null ? NotFound() : Forbid();
        }

        var s = Stored!.Subscription;
        Form = SubscriptionForm.From(s.Definition, Stored.ETag);
        // Run now mails every recipient even though the schedule is off: that is what a disabled subscription is asked to do here.
        if (!s.Enabled && !DisabledConfirmed)
        {
            DisabledWarning = "run";
            return WithFires();
        }

        await TryAsync(async () =>
        {
            var asOf = Blank(AsOf) is { } text ? RangeExpression.ResolvePoint(text, s.TimeZone, time.GetUtcNow(), "AsOf") : time.GetUtcNow();
            try
            {
                Run = await runner.RunAsync(s, asOf, RunTrigger.Manual, 1, cancellationToken);
                await trail.AppendAsync(new AuditRecord(Actor, "runs.run-now", s.Id, After: AuditRecord.Json(new { Run.RunId, Status = Run.Status.Name() }),
                    ClientAddress: HttpContext.ClientAddress()), cancellationToken);
            }
            catch (RunBusyException busy)
            {
                Error = busy.Message;
            }
        });
        return WithFires();
    }

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) => SetEnabledAsync(true, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) => SetEnabledAsync(false, cancellationToken);

    /// <summary>Soft delete, after the confirmation step (<c>?confirm=delete</c>); the history keeps it and can restore it.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (IsNew || await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return IsNew ? NotFound() : Forbid();
        }

        try
        {
            await store.DeleteAsync(RouteId, Form.ETag ?? "", new SubscriptionActor(Actor, HttpContext.ClientAddress()), cancellationToken);
            return Redirect(ConsoleUrls.With(ConsoleUrls.Subscriptions, ("deleted", RouteId)));
        }
        catch (SubscriptionChangeException ex)
        {
            return Reloaded(ex);
        }
    }

    private async Task<IActionResult> SetEnabledAsync(bool enabled, CancellationToken cancellationToken)
    {
        if (IsNew || await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return IsNew ? NotFound() : Forbid();
        }

        try
        {
            var saved = await store.SetEnabledAsync(RouteId, enabled, Form.ETag ?? "", new SubscriptionActor(Actor, HttpContext.ClientAddress()), cancellationToken);
            return Redirect(ConsoleUrls.With(ConsoleUrls.Subscription(saved.Subscription.Id), ("saved", "1")));
        }
        catch (SubscriptionChangeException ex)
        {
            return Reloaded(ex);
        }
    }

    /// <summary>After a refused enable/disable/delete: the current version, and why nothing changed.</summary>
    private PageResult Reloaded(SubscriptionChangeException ex)
    {
        ModelState.Clear();
        Form = SubscriptionForm.From(Stored!.Subscription.Definition, Stored.ETag);
        Error = ex.Kind == SubscriptionChangeKind.Stale
            ? "Nothing changed: someone else saved this subscription since you opened it. This is their version now; try again."
            : ex.Message;
        Confirm = null;
        return WithFires();
    }

    /// <summary>The form as a subscription (not saved); null with the field errors when it is not valid.</summary>
    private Subscription? Draft()
    {
        var definition = Validate("draft");
        return definition is null ? null : Subscription.Create(definition, "draft");
    }

    /// <summary>Bad input met while rendering or sending (the address, <c>AsOf</c>) is shown at its field.</summary>
    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (InputException ex)
        {
            var key = ex.Field switch { "address" => nameof(TestAddress), "AsOf" or "asOf" or "mail" => nameof(AsOf), _ => "" };
            ModelState.AddModelError(key, key.Length == 0 ? ex.Message : ex.Reason);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The next five fires of the cadence, zone, range and settle delay as typed; errors of those fields instead when they are not valid.</summary>
    private void ComputeFires()
    {
        var definition = Form.ToDefinition(new Dictionary<string, string>());
        // Only the schedule is previewed here: fields that do not change when it fires get placeholders, so their errors do not hide the fires.
        definition.Id = "preview";
        definition.Carrier = "preview";
        definition.Recipients = new SubscriptionRecipients { To = ["preview@example.invalid"] };
        definition.TemplateFolder = null;
        definition.Formats = [];
        definition.AsrWarningThresholdPct = 30;
        definition.MinimumSample = 30;
        definition.ReportType = new SubscriptionDefinition().ReportType;
        try
        {
            Fires = SchedulePreview.Of(Subscription.Create(definition, "draft"), time.GetUtcNow(), 5);
            FireErrors = [];
        }
        catch (SubscriptionException ex)
        {
            Fires = null;
            FireErrors = [.. FieldErrors.Split(ex, "preview", "draft").Select(e => e.Field is null ? e.Reason : $"{e.Field}: {e.Reason}")];
        }
    }
}
