using System.Globalization;
using MimeKit;

namespace CarrierReports.Delivery;

/// <summary>Parses the addresses of settings and subscriptions, with errors that name where the address came from.</summary>
internal static class MailAddresses
{
    public static MailboxAddress Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException(field, "is required (an address such as reports@example.net)");
        }

        // A list such as "a@x, b@y" parses as an address list; one setting must hold exactly one mailbox.
        if (!MailboxAddress.TryParse(ParserOptions.Default, text.Trim(), out var address) || address is null)
        {
            throw new InputException(field, $"'{text}' is not a mail address");
        }

        var at = address.Address.LastIndexOf('@');
        if (at <= 0 || at == address.Address.Length - 1)
        {
            throw new InputException(field, $"'{text}' is not a mail address (it needs a local part and a domain)");
        }

        return address;
    }

    /// <summary>The domain is put into Message-IDs, so it must be a plain host name.</summary>
    public static string CheckDomain(string domain, string field)
    {
        var d = domain.Trim();
        if (d.Length == 0 || d.Length > 253 || d.StartsWith('.') || d.EndsWith('.')
            || !d.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
        {
            throw new InputException(field, $"'{domain}' is not a usable domain for Message-IDs (letters, digits, dots and hyphens only)");
        }

        return d.ToLower(CultureInfo.InvariantCulture);
    }
}
