using CarrierReports.Settings;
using MimeKit;
using Microsoft.Extensions.Options;

namespace CarrierReports.Delivery;

/// <summary>
/// The mail settings' cross-field rules, checked at start-up (ranges are attributes on <see cref="MailOptions"/>);
/// each failure names its setting and never echoes a credential.
/// </summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    private const string S = MailOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var errors = new SettingErrors();

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
        errors.Check(() => from = MailAddresses.Parse(options.From, S + "From"));
        if (!string.IsNullOrWhiteSpace(options.ReplyTo))
        {
            errors.Check(() => MailAddresses.Parse(options.ReplyTo, S + "ReplyTo"));
        }

        if (!string.IsNullOrWhiteSpace(options.OperationsAddress))
        {
            errors.Check(() => MailAddresses.Parse(options.OperationsAddress, S + "OperationsAddress"));
        }

        if (!string.IsNullOrWhiteSpace(options.Domain))
        {
            errors.Check(() => MailAddresses.CheckDomain(options.Domain, S + "Domain"));
        }
        else if (from is not null)
        {
            errors.Check(() => MailAddresses.CheckDomain(from.Domain, S + "From"));
        }

        if (options.InitialBackoff < TimeSpan.Zero)
        {
            errors.Add($"{S}InitialBackoff: {options.InitialBackoff} is negative");
        }

        if (options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add($"{S}MaxBackoff: {options.MaxBackoff} is shorter than {S}InitialBackoff ({options.InitialBackoff})");
        }

        return errors.Result();
    }
}
