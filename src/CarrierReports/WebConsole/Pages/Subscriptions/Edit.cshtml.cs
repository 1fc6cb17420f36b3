using CarrierReports.Audit;
using CarrierReports.Delivery;
using CarrierReports.Runs;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CarrierReports.WebConsole.Pages.Subscriptions;

/// <summary>
/// One subscription: the editor for operators and admins (database subscriptions), a read-only view for everyone else
/// and for subscriptions written in a file or the settings. Validation is <see cref="Subscription.Create"/>'s, so each
/// field error reads as in the API and the CLI; saving is <see cref="SubscriptionStore"/>'s, with the entity tag the
/// form was loaded with, so a change saved meanwhile by someone else is shown side by side instead of overwritten.
/// </summary>
public sealed partial class EditModel(SubscriptionStore store, ReportRendering rendering, MailDelivery mail, AuditTrail trail, SubscriptionRunner runner,
    MailPreviewStash stash, SubscriptionHistory history, TimeProvider time) : ConsolePageModel
{
    /// <summary>The id in the URL that opens an empty editor.</summary>
    public const string NewId = "new";

    [FromRoute(Name = "id")] public string RouteId { get; set; } = "";

    [BindProperty] public SubscriptionForm Form { get; set; } = new();

    /// <summary>Where "send a test" goes: users have no address of their own in CarrierReports, so it is typed (prefilled when the user name is one).</summary>
    [BindProperty] public string? TestAddress { get; set; }

    /// <summary>The moment preview, test and run act as of (a point such as <c>now-1d</c> or an ISO time); empty means now.</summary>
    [BindProperty] public string? AsOf { get; set; }

    /// <summary>Set by the "yes, anyway" button of <see cref="DisabledWarning"/>: a test or run of a disabled subscription goes ahead.</summary>
    [BindProperty] public bool DisabledConfirmed { get; set; }

    /// <summary>"test" or "run" when that action was asked for on a disabled subscription and waits for its confirmation.</summary>
    public string? DisabledWarning { get; private set; }

    /// <summary>From the URL: <c>?confirm=delete</c> shows the deletion's confirmation; <c>?saved=1</c> the saved message.</summary>
    [FromQuery] public string? Confirm { get; set; }
    [FromQuery] public string? Saved { get; set; }

    public StoredSubscription? Stored { get; private set; }
    public bool IsNew => RouteId == NewId;
    public bool CanEdit => May(Policies.Operator) && (IsNew || Stored is { ReadOnly: false });
    public bool SeesAddresses => DefinitionView.SeesAddresses(Actor.Role);
    public SchedulePreview? Fires { get; private set; }
    public IReadOnlyList<string> FireErrors { get; private set; } = [];
    public MailPreview? Preview { get; private set; }

    /// <summary>The zone of the subscription as typed when the preview was made: the preview's period is shown in it.</summary>
    public TimeZoneInfo PreviewZone { get; private set; } = TimeZoneInfo.Utc;
    public string? PreviewToken { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public RunRecord? Run { get; private set; }
    public ConflictView? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsNew)
        {
            if (await LoadAsync(cancellationToken) is { } notFound)
            {
                return notFound;
            }

            Form = SubscriptionForm.From(Stored!.Subscription.Definition, Stored.ETag);
            Message = Saved is "1" ? "Saved." : Saved is "restored" ? "Restored." : null;
        }
        else if (!May(Policies.Operator))
        {
            return Forbid();
        }

        TestAddress = Actor.Name.Contains('@', StringComparison.Ordinal) ? Actor.Name : null;
        ComputeFires();
        return Page();
    }

    /// <summary>The next five fire times for the cadence as typed: a partial for htmx, the whole page without JavaScript.</summary>
    public async Task<IActionResult> OnPostFiresAsync(CancellationToken cancellationToken)
    {
        if (await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        ComputeFires();
        return Request.Headers.ContainsKey("HX-Request") ? Partial("_Fires", this) : Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await LoadEditableAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        var definition = Validate(SubscriptionCatalog.DatabaseOrigin);
        if (definition is null)
        {
            return WithFires();
        }

        var who = new SubscriptionActor(Actor, HttpContext.ClientAddress());
        try
        {
            var saved = IsNew
                ? await store.CreateAsync(definition, who, cancellationToken)
                : await store.UpdateAsync(RouteId, definition, Form.ETag ?? "", who, cancellationToken);
            return Redirect(ConsoleUrls.With(ConsoleUrls.Subscription(saved.Subscription.Id), ("saved", "1")));
        }
        catch (SubscriptionException ex)
        {
            ShowErrors(ex, SubscriptionCatalog.DatabaseOrigin);
        }
        catch (SubscriptionChangeException ex) when (ex.Kind == SubscriptionChangeKind.Stale && !IsNew)
        {
            await ShowConflictAsync(definition, cancellationToken);
        }
        catch (SubscriptionChangeException ex)
        {
            ModelState.AddModelError(IsNew ? "Form.Id" : "", ex.Message);
        }

        return WithFires();
    }

    private PageResult WithFires()
    {
        ComputeFires();
        return Page();
    }

    /// <summary>The saved subscription of the URL into <see cref="Stored"/>; a 404 when it does not exist for this user.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        Stored = await store.FindAsync(RouteId, Actor.Scope, cancellationToken);
        return Stored is null ? NotFound() : null;
    }

    /// <summary>As <see cref="LoadAsync"/>, and refuses a change this user may not make here (viewer, auditor, a file subscription).</summary>
    private async Task<IActionResult?> LoadEditableAsync(CancellationToken cancellationToken)
    {
        if (!IsNew && await LoadAsync(cancellationToken) is { } notFound)
        {
            return notFound;
        }

        return CanEdit ? null : Forbid();
    }

    /// <summary>The form as a definition, validated as the API validates it; null (with the errors by field) when invalid.</summary>
    private SubscriptionDefinition? Validate(string origin)
    {
        var parseErrors = new Dictionary<string, string>();
        var definition = Form.ToDefinition(parseErrors);
        foreach (var (field, reason) in parseErrors)
        {
            ModelState.AddModelError("Form." + field, reason);
        }

        try
        {
            var s = Subscription.Create(definition, origin);
            if (!Actor.Scope.Allows(s.Carrier))
            {
                ModelState.AddModelError("Form.Carrier", $"carrier '{s.Carrier}' does not exist");
            }
        }
        catch (SubscriptionException ex)
        {
            ShowErrors(ex, origin, definition);
        }

        return ModelState.ErrorCount == 0 ? definition : null;
    }

    private void ShowErrors(SubscriptionException ex, string origin, SubscriptionDefinition? definition = null)
    {
        foreach (var (field, reason) in FieldErrors.Split(ex, (definition?.Id ?? Form.Id).Trim(), origin))
        {
            var key = field is null ? "" : "Form." + field;
            // A number that did not parse already has its error; Create's (about the default it fell back to) would mislead.
            if (!ModelState.ContainsKey(key) || ModelState[key]!.Errors.Count == 0)
            {
                ModelState.AddModelError(key, reason);
            }
        }
    }
}
