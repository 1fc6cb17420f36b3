using MimeKit;
using Microsoft.Extensions.Options;

namespace CarrierReports.Delivery;

/// <summary>Checks the mail settings at start-up; each failure names its setting and never echoes a credential.</summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    private const string S = MailOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var errors = new List<string>();
        void Check(Action check)
        {
            try
            {
                check();
            }
            catch (InputException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (!Enum.IsDefined(options.Transport))
        {
            errors.Add($"{S}Transport: '{options.Transport}' is not a transport; use Pickup or Smtp");
        }

        if (!Enum.IsDefined(options.Security))
        {
            errors.Add($"{S}Security: '{options.Security}' is not a security mode; use None, StartTls or Tls");
        }

        if (options.Transport == MailTransport.Smtp && string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add($"{S}Host: is required when {S}Transport is Smtp");
        }

        if (options.Transport == MailTransport.Pickup && string.IsNullOrWhiteSpace(options.PickupFolder))
        {
            errors.Add($"{S}PickupFolder: is required when {S}Transport is Pickup");
        }

        if (options.Port is < 1 or > 65_535)
        {
            errors.Add($"{S}Port: {options.Port} is outside 1..65535");
        }

        // Only say which half is missing: the value itself is a secret.
        var hasUser = !string.IsNullOrEmpty(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasUser && !hasPassword)
        {
            errors.Add($"{S}Password: is empty while {S}Username is set (set Mail__Password in the environment or user secrets)");
        }
        else if (hasPassword && !hasUser)
        {
            errors.Add($"{S}Username: is empty while {S}Password is set");
        }

        MailboxAddress? from = null;
        Check(() => from = MailAddresses.Parse(options.From, S + "From"));
        if (!string.IsNullOrWhiteSpace(options.ReplyTo))
        {
            Check(() => MailAddresses.Parse(options.ReplyTo, S + "ReplyTo"));
        }

        if (!string.IsNullOrWhiteSpace(options.OperationsAddress))
        {
            Check(() => MailAddresses.Parse(options.OperationsAddress, S + "OperationsAddress"));
        }

        if (!string.IsNullOrWhiteSpace(options.Domain))
        {
            Check(() => MailAddresses.CheckDomain(options.Domain, S + "Domain"));
        }
        else if (from is not null)
        {
            Check(() => MailAddresses.CheckDomain(from.Domain, S + "From"));
        }

        if (options.MaxAttachmentBytes < 1)
        {
            errors.Add($"{S}MaxAttachmentBytes: {options.MaxAttachmentBytes} must be at least 1");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{S}MaxAttempts: {options.MaxAttempts} is outside 1..100");
        }

        if (options.InitialBackoff < TimeSpan.Zero)
        {
            errors.Add($"{S}InitialBackoff: {options.InitialBackoff} is negative");
        }

        if (options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add($"{S}MaxBackoff: {options.MaxBackoff} is shorter than {S}InitialBackoff ({options.InitialBackoff})");
        }

        if (options.TimeoutSeconds is < 1 or > 3_600)
        {
            errors.Add($"{S}TimeoutSeconds: {options.TimeoutSeconds} is outside 1..3600");
        }

        if (options.MaxConnections is < 1 or > 64)
        {
            errors.Add($"{S}MaxConnections: {options.MaxConnections} is outside 1..64");
        }

        if (options.ConnectionIdleSeconds is < 0 or > 300)
        {
            errors.Add($"{S}ConnectionIdleSeconds: {options.ConnectionIdleSeconds} is outside 0..300");
        }

        if (options.MaxMessagesPerConnection is < 1 or > 100_000)
        {
            errors.Add($"{S}MaxMessagesPerConnection: {options.MaxMessagesPerConnection} is outside 1..100000");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
