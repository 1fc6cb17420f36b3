using CarrierReports.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CarrierReports.Delivery;

/// <summary>
/// Sends a report mail as one message per recipient, so each recipient has an outcome of its own: a refused address
/// fails alone, and a resend gives each recipient the identical message (same Message-ID, same bytes).
/// </summary>
public sealed class MailDelivery(IMailSender sender, IOptions<MailOptions> options, TimeProvider time, ILogger<MailDelivery> logger)
{
    private readonly MailOptions _options = options.Value;
    private readonly MessageComposer _composer = new(options.Value);

    /// <summary>
    /// Delivers <paramref name="request"/>. Transient failures (connection refused or lost, timeouts, SMTP 4xx) are
    /// retried with doubling waits up to <see cref="MailOptions.MaxAttempts"/>; a 5xx fails that recipient at once.
    /// Never throws for a refused recipient: read <see cref="DeliveryResult.Recipients"/>.
    /// </summary>
    public Task<DeliveryResult> SendAsync(MailRequest request, CancellationToken cancellationToken) =>
        SendAsync(request.Purpose, request, cancellationToken);

    /// <summary>
    /// Sends a plain alert to <see cref="MailOptions.OperationsAddress"/>, e.g. when a run failed. Returns null when no
    /// operations address is configured. The key makes the Message-ID, so one failure raises one alert however often it is sent.
    /// </summary>
    public async Task<RecipientResult?> SendAlertAsync(DeliveryKey key, string subject, string text, DateTimeOffset date, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.OperationsAddress))
        {
            return null;
        }

        var content = new MailContent(subject, "", text);
        var request = new MailRequest(key, MailRecipients.ToOnly(_options.OperationsAddress), content, content, [], date);
        var result = await SendAsync("alert", request, cancellationToken);
        return result.Recipients[0];
    }

    /// <summary>The Message-ID a recipient's report mail for <paramref name="key"/> gets, e.g. to record it before sending.</summary>
    public string MessageIdFor(DeliveryKey key, string address) => _composer.MessageId("report", key, address);

    private async Task<DeliveryResult> SendAsync(string purpose, MailRequest request, CancellationToken cancellationToken)
    {
        var (to, cc, recipients) = Expand(request.Recipients);
        CheckContent(request.Content, "content");

        var bytes = request.Attachments.Sum(a => (long)a.Content.Length);
        var omit = bytes > _options.MaxAttachmentBytes;
        if (omit)
        {
            Log.AttachmentsOmitted(logger, request.Key.SubscriptionId, bytes, _options.MaxAttachmentBytes);
        }

        // The alternative is rendered only when it is sent: most mails fit, and rendering it costs a template pass.
        var content = omit ? request.ContentWithoutAttachments() : request.Content;
        if (omit)
        {
            CheckContent(content, "contentWithoutAttachments");
        }

        IReadOnlyList<Artifact> attachments = omit ? [] : request.Attachments;
        // Recipients who already have this period (per the run ledger) are left out; the headers still show every
        // To/Cc address, so each message is the same as it would have been on the first attempt.
        var states = recipients
            .Where(r => request.Skip is null || !request.Skip.Contains(r.Address.Address))
            .Select(r => new State(r.Address, r.Kind, _composer.MessageId(purpose, request.Key, r.Address.Address)))
            .ToList();

        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            var pending = states.Where(s => s.Outcome is null).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            if (attempt > 1)
            {
                var delay = Backoff(attempt - 1);
                Log.Backoff(logger, delay, attempt, pending.Count);
                await Task.Delay(delay, time, cancellationToken);
            }

            // One connection per round; it is closed before any wait so it does not sit idle holding a slot.
            await RoundAsync(pending, to, cc, content, attachments, request, cancellationToken);
        }

        foreach (var s in states.Where(s => s.Outcome is null))
        {
            s.Outcome = DeliveryOutcome.Failed;
            Log.Failed(logger, s.MessageId, s.Address.Address, s.Attempts, s.LastError ?? "");
        }

        return new DeliveryResult(
            [.. states.Select(s => new RecipientResult(s.Address.Address, s.Kind, s.Outcome!.Value, s.Reply, s.MessageId, s.Attempts, s.LastError))],
            omit,
            bytes);
    }

    private async Task RoundAsync(List<State> pending, IReadOnlyList<MailboxAddress> to, IReadOnlyList<MailboxAddress> cc,
        MailContent content, IReadOnlyList<Artifact> attachments, MailRequest request, CancellationToken cancellationToken)
    {
        IMailBatch? batch = null;
        MailSendException? unreachable = null;
        try
        {
            foreach (var s in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                s.Attempts++;
                if (batch is not { IsUsable: true } && unreachable is null)
                {
                    if (batch is not null)
                    {
                        await batch.DisposeAsync();
                        batch = null;
                    }

                    try
                    {
                        batch = await sender.OpenAsync(cancellationToken);
                    }
                    catch (MailSendException ex)
                    {
                        // Every other recipient of this round would meet the same closed door: record it for all of them.
                        unreachable = ex;
                    }
                }

                if (unreachable is not null)
                {
                    Fail(s, unreachable);
                    continue;
                }

                // Composed for each attempt so no stream position is shared between sends; the bytes are the same each time.
                var message = _composer.Compose(s.MessageId, to, cc, content, attachments, request.Date);
                foreach (var (name, value) in request.Headers)
                {
                    message.Headers.Add(name, value);
                }

                try
                {
                    s.Reply = await batch!.SendAsync(message, _composer.From, s.Address, cancellationToken);
                    s.Outcome = DeliveryOutcome.Delivered;
                    Telemetry.ServiceMetrics.SmtpAttempt("ok");
                    Log.Delivered(logger, s.MessageId, s.Address.Address, s.Attempts, s.Reply);
                }
                catch (MailSendException ex)
                {
                    Fail(s, ex);
                }
            }
        }
        finally
        {
            if (batch is not null)
            {
                await batch.DisposeAsync();
            }
        }
    }

    private void Fail(State s, MailSendException ex)
    {
        Telemetry.ServiceMetrics.SmtpAttempt(ex.IsTransient ? "transient" : "permanent");
        s.LastError = ex.Message;
        s.Reply = ex.Reply ?? s.Reply;
        if (!ex.IsTransient || s.Attempts >= _options.MaxAttempts)
        {
            s.Outcome = DeliveryOutcome.Failed;
            Log.Failed(logger, s.MessageId, s.Address.Address, s.Attempts, ex.Message);
        }
        else
        {
            Log.TransientFailure(logger, s.MessageId, s.Address.Address, s.Attempts, ex.Message);
        }
    }

    /// <summary>Wait before retry number <paramref name="retry"/> (1-based): initial × 2^(retry-1), capped.</summary>
    internal TimeSpan Backoff(int retry)
    {
        var ticks = _options.InitialBackoff.Ticks * Math.Pow(2, retry - 1);
        return ticks >= _options.MaxBackoff.Ticks ? _options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Parses the addresses; an address listed twice gets one message, under its first kind (To, then Cc, then Bcc).</summary>
    private static (List<MailboxAddress> To, List<MailboxAddress> Cc, List<(MailboxAddress Address, RecipientKind Kind)> All) Expand(MailRecipients recipients)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = new List<(MailboxAddress, RecipientKind)>();
        List<MailboxAddress> Parse(IReadOnlyList<string>? list, RecipientKind kind, string field)
        {
            var parsed = new List<MailboxAddress>();
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var address = MailAddresses.Parse(list![i], $"recipients:{field}:{i}");
                parsed.Add(address);
                if (seen.Add(address.Address))
                {
                    all.Add((address, kind));
                }
            }

            return parsed;
        }

        var to = Parse(recipients.To, RecipientKind.To, "to");
        var cc = Parse(recipients.Cc, RecipientKind.Cc, "cc");
        Parse(recipients.Bcc, RecipientKind.Bcc, "bcc");
        if (all.Count == 0)
        {
            throw new InputException("recipients", "no address in to, cc or bcc");
        }

        return (to, cc, all);
    }

    /// <summary>An empty subject or body is a template fault; sending it would look like a broken report.</summary>
    private static void CheckContent(MailContent? content, string field)
    {
        if (content is null)
        {
            throw new InputException(field, "is required");
        }

        if (string.IsNullOrWhiteSpace(content.Subject))
        {
            throw new InputException(field + ":subject", "is empty");
        }

        if (string.IsNullOrWhiteSpace(content.TextBody) && string.IsNullOrWhiteSpace(content.HtmlBody))
        {
            throw new InputException(field + ":body", "both the text and the HTML body are empty");
        }
    }

    private sealed class State(MailboxAddress address, RecipientKind kind, string messageId)
    {
        public MailboxAddress Address { get; } = address;
        public RecipientKind Kind { get; } = kind;
        public string MessageId { get; } = messageId;
        public int Attempts { get; set; }
        public DeliveryOutcome? Outcome { get; set; }
        public string? Reply { get; set; }
        public string? LastError { get; set; }
    }
}
