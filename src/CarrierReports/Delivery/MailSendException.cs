namespace CarrierReports.Delivery;

/// <summary>A message could not be handed over. <see cref="IsTransient"/> says whether trying again later may help.</summary>
/// <param name="reply">The server's reply when there was one (e.g. <c>550 5.1.1 mailbox unavailable</c>).</param>
public sealed class MailSendException(string message, bool isTransient, string? reply = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;
    public string? Reply { get; } = reply;
}
