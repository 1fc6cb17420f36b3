using CarrierReports.Audit;
using CarrierReports.Delivery;
using CarrierReports.Subscriptions;
using CarrierReports.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

/// <summary>
/// <c>POST /api/v1/subscriptions/{id}/test-send</c>: a subscription's mail for one period, sent to one address as a
/// test. Outside the exactly-once ledger: no run, no delivery row and no archive entry are written, so the real run of
/// that period still goes to every recipient. The subject starts with <see cref="SubjectMark"/>, the message carries
/// <see cref="Header"/>, and its Message-ID differs from the report's, so nobody can mistake it for (or drop it as) the report.
/// </summary>
public static class TestSendEndpoints
{
    public const string SubjectMark = "[TEST] ";
    public const string Header = "X-CarrierReports-Test";

    /// <param name="Address">The one address to send to (required); checked as the Mail settings' addresses are.</param>
    /// <param name="AsOf">The fire time whose period is sent (a point such as <c>now-1d</c> or an ISO time); default the latest settled period.</param>
    public sealed record TestSendRequest(string? Address, string? AsOf);

    public sealed record TestSendView(string SubscriptionId, string Address, string Outcome, string MessageId, string? SmtpReply, int Attempts, string? Error,
        string Subject, DateTimeOffset PeriodUtcFrom, DateTimeOffset PeriodUtcTo, bool AttachmentsOmitted);

    public static IEndpointRouteBuilder MapTestSendEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/subscriptions/{id}/test-send", TestSendAsync).RequireAuthorization(Policies.Operator).WithTags("Operations");
        return app;
    }

    private static async Task<IResult> TestSendAsync(HttpContext context, string id, TestSendRequest? body, SubscriptionStore store, ReportRendering rendering,
        MailDelivery mail, AuditTrail trail, CancellationToken cancellationToken)
    {
        var actor = context.Actor();
        var found = await store.FindAsync(id, actor.Scope, cancellationToken);
        if (found is null)
        {
            return SubscriptionProblems.NotFound(id);
        }

        var view = await SendAsync(found.Subscription, body?.Address, body?.AsOf, actor, context.ClientAddress(), rendering, mail, trail, cancellationToken);
        return view.Outcome == DeliveryOutcome.Delivered.Name()
            ? TypedResults.Ok(view)
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The mail server did not accept the test mail", detail: view.SmtpReply ?? view.Error,
                extensions: new Dictionary<string, object?> { ["result"] = view });
    }

    /// <summary>
    /// Renders <paramref name="s"/>'s mail for the period of <paramref name="asOf"/> (default the latest settled one), sends
    /// it marked as a test to <paramref name="address"/> alone and audits it; the API and the console's "send a test" both
    /// come here. <paramref name="s"/> may be a draft that was never saved: nothing of the ledger is read or written.
    /// </summary>
    /// <exception cref="InputException">The address or <paramref name="asOf"/> is not valid (fields <c>address</c>, <c>asOf</c>).</exception>
    public static async Task<TestSendView> SendAsync(Subscription s, string? address, string? asOf, Access.Actor actor, string? clientAddress,
        ReportRendering rendering, MailDelivery mail, AuditTrail trail, CancellationToken cancellationToken)
    {
        // One mailbox, as a Mail setting holds one: a list ("a@x, b@y") is refused, so one test never becomes many mails.
        var to = MailAddresses.Parse(address, "address").Address.ToLowerInvariant();
        await using var rendered = await rendering.RenderAsync(s, rendering.FireFor(s, asOf, "asOf"), cancellationToken);
        var references = MailPreview.References(rendered);
        var content = Mark(rendering.Content(rendered, references, cancellationToken));
        var request = new MailRequest(rendered.Key, MailRecipients.ToOnly(to), content,
            () => Mark(rendering.ContentWithoutAttachments(rendered, references, cancellationToken)), rendered.Attachments, rendered.FireTime)
        {
            // A new Message-ID for every test: two tests of one period are two messages.
            Purpose = "test-" + Guid.NewGuid().ToString("N"),
            Headers = [new(Header, $"test send by {actor.Name}; not a delivery of subscription {s.Id}")],
        };
        var result = await mail.SendAsync(request, cancellationToken);
        var r = result.Recipients[0];
        var view = new TestSendView(s.Id, to, r.Outcome.Name(), r.MessageId, r.Reply, r.Attempts, r.LastError, content.Subject,
            rendered.Key.UtcFrom, rendered.Key.UtcTo, result.AttachmentsOmitted);
        await trail.AppendAsync(new AuditRecord(actor, "subscriptions.test-send", s.Id,
            After: AuditRecord.Json(new { address = to, view.PeriodUtcFrom, view.PeriodUtcTo, view.MessageId, view.SmtpReply }),
            ClientAddress: clientAddress, Outcome: r.Outcome == DeliveryOutcome.Delivered ? AuditRecord.Success : "failed"), cancellationToken);
        return view;
    }

    private static MailContent Mark(MailContent content) => content with { Subject = SubjectMark + content.Subject };
}
