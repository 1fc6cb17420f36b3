using CarrierReports.Access;
using System.Globalization;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary><c>/api/v1/runs</c>: the run ledger for every reader; runs of subscriptions outside the caller's scope do not exist for them.</summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/runs").RequireAuthorization(Policies.Viewer).WithTags("Runs");
        group.MapGet("/", ListAsync);
        group.MapGet("/{runId}", GetAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, RunSearch search, SubscriptionCarriers carriers,
        string? subscription, string? carrier, string? status, DateTimeOffset? from, DateTimeOffset? to, string? node, string? after, int? limit,
        CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        RunStatus? parsedStatus = status is null ? null
            : RunNames.TryParseStatus(status, out var s) ? s
            : throw new InputException("status", $"'{status}' is not a run status; use {string.Join(", ", RunNames.Statuses)}");
        var filter = new RunFilter(subscription, await carriers.VisibleIdsAsync(actor.Scope, carrier, cancellationToken), parsedStatus, from, to, node,
            after is null ? null : DecodeCursor(after), limit ?? 50);
        var page = await search.SearchAsync(filter, cancellationToken);
        var map = await carriers.MapAsync([.. page.Runs.Select(r => r.SubscriptionId).Distinct()], cancellationToken);
        return TypedResults.Ok(new RunListView([.. page.Runs.Select(r => RunView.From(r, map.GetValueOrDefault(r.SubscriptionId)))],
            page.Next is { } next ? KeysetCursor.Encode($"{next.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{next.RunId}") : null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string runId, RunLedger ledger, SubscriptionCarriers carriers, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var run = await ledger.FindAsync(runId, cancellationToken);
        if (run is null || !await carriers.AllowsAsync(actor.Scope, run.SubscriptionId, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"run '{runId}' does not exist");
        }

        var map = await carriers.MapAsync([run.SubscriptionId], cancellationToken);
        var artifacts = await ledger.ArtifactsAsync(runId, cancellationToken);
        var deliveries = await ledger.DeliveriesAsync(run.SubscriptionId, run.PeriodFrom, run.PeriodTo, cancellationToken);
        var seesAddresses = DefinitionView.SeesAddresses(actor.Role);
        return TypedResults.Ok(new RunDetailView(RunView.From(run, map.GetValueOrDefault(run.SubscriptionId)),
            [.. artifacts.Select(a => new ArtifactView(a.FileName, a.Format, a.Bytes, a.Sha256, a.ArchiveId, a.ArchivePath))],
            [.. deliveries.Select(d => DeliveryView.From(d, runId, seesAddresses))]));
    }

    private static RunCursor DecodeCursor(string text)
    {
        var raw = KeysetCursor.Decode(text, "after");
        var bar = raw.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(raw[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new RunCursor(new DateTimeOffset(ticks, TimeSpan.Zero), raw[(bar + 1)..])
            : throw new InputException("after", $"'{text}' is not a cursor; pass the 'next' of the previous page");
    }
}
