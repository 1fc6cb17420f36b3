using System.CommandLine;
using System.CommandLine.Parsing;

namespace CarrierReports.Cli;

/// <summary>
/// Turns the parser's errors into the CLI's one line: <c>&lt;option or command&gt;: &lt;reason&gt;</c>. Only the first
/// problem is told, so a typo gives one line, not a cascade (an unknown option's value is "unmatched" too).
/// </summary>
public static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = Path(parse.CommandResult);
        // "--colour" where an argument is expected is taken as the argument's value; it is still an unknown option.
        var unknownOption = parse.Tokens.FirstOrDefault(t => t.Type == TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal))?.Value;
        if (unknownOption is not null || parse.UnmatchedTokens.Count > 0)
        {
            var token = unknownOption ?? parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var known = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                    .Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
                return $"{token}: is not an option of '{path}' (options: {string.Join(", ", known)})";
            }

            if (command.Subcommands.Count > 0)
            {
                return path.Length == 0
                    ? $"'{token}' is not a command (try --help)"
                    : $"{path}: '{token}' is not a sub-command: {SubcommandList(command)}";
            }

            return $"{path}: unexpected '{token}' (try '{path} --help')";
        }

        var error = parse.Errors[0];
        return error.SymbolResult switch
        {
            OptionResult o when o.Tokens.Count == 0 => $"{o.Option.Name}: needs a value",
            OptionResult o when o.IdentifierTokenCount > 1 => $"{o.Option.Name}: is given more than once",
            OptionResult o => $"{o.Option.Name}: {error.Message}",
            ArgumentResult { Parent: OptionResult o } => $"{o.Option.Name}: {error.Message}",
            ArgumentResult a when a.Tokens.Count == 0 => $"{a.Argument.Name}: is required (see '{path} --help')",
            ArgumentResult a => $"{a.Argument.Name}: {error.Message}",
            CommandResult { Command.Subcommands.Count: > 0 } c when path.Length > 0 => $"{path}: needs a sub-command: {SubcommandList(c.Command)}",
            _ => $"{(path.Length > 0 ? path : "carrierreports")}: {error.Message}",
        };
    }

    private static string SubcommandList(Command command) => string.Join(", ", command.Subcommands.Select(c => c.Name));

    /// <summary>"archive list": the command words after the program name.</summary>
    private static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', names);
    }
}
