using System.CommandLine;
using CarrierReports.Audit;
using CarrierReports.Identity;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Tests.Identity;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The users, keys and audit commands under a root command of their own, as the lead will mount them, each invocation
/// in a host built by <see cref="AppHost"/> from the given settings (so AppHost's registrations are what runs).
/// </summary>
public static class CommandTestHost
{
    public static async Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string?> settings, string? stdin, params string[] args)
    {
        Microsoft.Extensions.Hosting.IHost Host(ParseResult _) => AppHost.CreateBuilder(null, settings, LogLevel.Warning).Build();
        var root = new RootCommand("test root")
        {
            UsersCommand.Create(Host, () => new StringReader(stdin ?? "")),
            KeysCommand.Create(Host),
            AuditCommand.Create(Host),
        };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return new CommandResult(code, output.ToString(), error.ToString());
    }
}
