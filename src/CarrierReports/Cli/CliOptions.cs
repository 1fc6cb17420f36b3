using System.CommandLine;

namespace CarrierReports.Cli;

/// <summary>Small helpers so each command declares its options in one line and reads them with the same error texts.</summary>
public static class CliOptions
{
    /// <summary>A text option; its value is parsed by the feature, so the error names the option and the reason.</summary>
    public static Option<string?> Text(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>A whole-number option in <paramref name="min"/>..<paramref name="max"/>, with the error text the CLI has always used.</summary>
    public static Option<int?> Number(string name, string description, string helpName, int min, int max, string what) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
                {
                    return n;
                }

                result.AddError($"'{text}' is not {what}");
                return null;
            },
        };

    public static Option<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>The value, or an <see cref="InputException"/> naming the option: "--carrier: is required (hint)".</summary>
    public static string Require(this ParseResult parse, Option<string?> option, string hint) =>
        parse.GetValue(option) is { Length: > 0 } value ? value : throw new InputException(option.Name, $"is required ({hint})");

    /// <summary>Whether the user typed the option (defaults do not count).</summary>
    public static bool Has(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
