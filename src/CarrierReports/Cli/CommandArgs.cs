namespace CarrierReports.Cli;

/// <summary>
/// The options of one command: <c>--name value</c>, <c>--name=value</c> or a bare switch. Unknown or repeated options
/// are errors that name the option, so a typo never silently changes a report.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CommandArgs(string command, IReadOnlyList<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public string Command { get; }

    /// <summary>Words after the command that are not options (e.g. <c>archive get &lt;id&gt;</c>).</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <param name="options">Options that take a value.</param>
    /// <param name="switches">Options that take none.</param>
    public static CommandArgs Parse(string command, IEnumerable<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> switches)
    {
        var positional = new List<string>();
        var parsed = new CommandArgs(command, positional);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (parsed._values.ContainsKey(name))
            {
                throw new InputException(name, "is given more than once");
            }

            if (switches.Contains(name))
            {
                if (eq > 0)
                {
                    throw new InputException(name, "takes no value");
                }

                parsed._values[name] = null;
            }
            else if (options.Contains(name))
            {
                if (eq > 0)
                {
                    parsed._values[name] = arg[(eq + 1)..];
                }
                else if (e.MoveNext() && !e.Current.StartsWith("--", StringComparison.Ordinal))
                {
                    parsed._values[name] = e.Current;
                }
                else
                {
                    throw new InputException(name, "needs a value");
                }
            }
            else
            {
                var known = options.Concat(switches).Order(StringComparer.Ordinal);
                throw new InputException(name, $"is not an option of '{command}' (options: {string.Join(", ", known)})");
            }
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name, string hint) =>
        _values.GetValueOrDefault(name) is { Length: > 0 } v ? v : throw new InputException(name, $"is required ({hint})");
}
