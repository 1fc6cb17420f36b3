using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CarrierReports.Cli;

/// <summary>
/// Runs a <c>users</c>, <c>keys</c> or <c>audit</c> command's body in a host of its own and turns bad input into one
/// line <c>error: &lt;option&gt;: &lt;reason&gt;</c> and exit 2, as every other command does.
/// </summary>
internal static class CliAction
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public delegate Task<int> Body(ParseResult parse, IServiceProvider services, TextWriter output, CancellationToken cancellationToken);

    public static void Set(Command command, Func<ParseResult, IHost> hostFactory, Body body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var host = hostFactory(parse);
                return await body(parse, host.Services, output, cancellationToken);
            }
            catch (InputException ex)
            {
                await error.WriteLineAsync($"error: {Flag(ex.Field)}: {ex.Reason}");
                return BadInput;
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await error.WriteLineAsync($"error: {failure}");
                }

                return BadInput;
            }
        });

    /// <summary>The stores name their fields as the web API will; on the command line they are these flags.</summary>
    private static string Flag(string field) => field switch
    {
        "name" => "<name>",
        "password" => "--password-stdin",
        "expires" => "--expires",
        "from" => "--from",
        "to" => "--to",
        _ => field,
    };

    /// <summary>An ISO 8601 date (midnight UTC) or instant; a time without an offset is UTC.</summary>
    public static DateTimeOffset? Instant(ParseResult parse, Option<string> option)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new InputException(option.Name, $"'{text}' is not a date or instant (e.g. 2027-01-31 or 2027-01-31T12:00:00Z)");
    }

    public static string Required(ParseResult parse, Option<string> option, string hint) =>
        parse.GetValue(option) is { Length: > 0 } value ? value : throw new InputException(option.Name, $"is required; {hint}");

    public static string When(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "-";
}
