using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Recipients;

/// <summary>
/// <c>/api/v1/recipients/{address}</c>: which subscriptions an address receives (operators, auditors, admins: viewers
/// never see addresses), and replacing or removing it everywhere at once (operators, admins).
/// </summary>
public static class RecipientEndpoints
{
    public static IEndpointRouteBuilder MapRecipientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recipients").RequireAuthorization(Policies.Viewer).WithTags("Recipients");
        group.MapGet("/{address}", GetAsync);
        group.MapPost("/{address}/replace", (HttpContext c, string address, ReplaceRequest body, SubscriptionStore s, CancellationToken ct) =>
            ChangeAsync(c, address, body.With ?? throw new InputException("with", "is required: the address that takes its place"), body.Seen, s, ct))
            .RequireAuthorization(Policies.Operator);
        group.MapPost("/{address}/remove", (HttpContext c, string address, RemoveRequest body, SubscriptionStore s, CancellationToken ct) =>
            ChangeAsync(c, address, null, body.Seen, s, ct))
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    /// <param name="Seen">Subscription id → the <c>etag</c> the GET listed; every subscription it lists must be here and current.</param>
    public sealed record ReplaceRequest(string? With, Dictionary<string, string>? Seen);

    public sealed record RemoveRequest(Dictionary<string, string>? Seen);

    public sealed record Receiving(string SubscriptionId, string Carrier, string Source, bool ReadOnly, bool Enabled, IReadOnlyList<string> As,
        string Cadence, string TimeZone, string ETag, LastDelivery? LastDelivery);

    public sealed record RecipientView(string Address, IReadOnlyList<Receiving> Subscriptions);

    private static async Task<IResult> GetAsync(HttpContext context, string address, SubscriptionStore store, RecipientDeliveries deliveries,
        CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        if (!DefinitionView.SeesAddresses(actor.Role))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "viewers do not see recipients' addresses");
        }

        var key = address.Trim().ToLowerInvariant();
        var last = await deliveries.LatestAsync(key, cancellationToken);
        var items = (await store.ListAsync(cancellationToken))
            .Where(s => actor.Scope.Allows(s.Subscription.Carrier) && s.Subscription.Addresses.Contains(key))
            .Select(s => new Receiving(s.Subscription.Id, s.Subscription.Carrier, SubscriptionResource.SourceOf(s.Subscription.Origin), s.ReadOnly,
                s.Subscription.Enabled, Kinds(s.Subscription.Definition.Recipients, key), s.Subscription.Cadence, s.Subscription.TimeZone.Id, s.ETag,
                last.GetValueOrDefault(s.Subscription.Id)))
            .ToList();
        return items.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"no subscription sends to '{address}'")
            : TypedResults.Ok(new RecipientView(key, items));
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, string address, string? replacement, Dictionary<string, string>? seen,
        SubscriptionStore store, CancellationToken cancellationToken)
    {
        try
        {
            var who = new SubscriptionActor(context.Actor(), context.ClientAddress());
            var changed = await store.ReplaceRecipientAsync(address.Trim(), replacement?.Trim(), seen ?? [], who, cancellationToken);
            return TypedResults.Ok(changed.Select(s => SubscriptionResource.From(s, who.Actor.Role)).ToList());
        }
        catch (SubscriptionException ex)
        {
            return SubscriptionProblems.Invalid(ex);
        }
        catch (SubscriptionChangeException ex)
        {
            return SubscriptionProblems.Refused(ex);
        }
    }

    private static IReadOnlyList<string> Kinds(SubscriptionRecipients r, string key)
    {
        bool Has(List<string> list) => list.Any(a => MimeKit.MailboxAddress.TryParse(a, out var p) && p.Address.Equals(key, StringComparison.OrdinalIgnoreCase));
        return [.. new[] { ("to", r.To), ("cc", r.Cc), ("bcc", r.Bcc) }.Where(k => Has(k.Item2)).Select(k => k.Item1)];
    }
}
