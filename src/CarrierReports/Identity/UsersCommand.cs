using CarrierReports.Cli;
using CarrierReports.Access;
using System.CommandLine;
using CarrierReports.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CarrierReports.Identity;

/// <summary>
/// <c>users add|list|disable|enable|reset-password</c>: local accounts, managed at the server's shell. Every change is
/// audited with the OS user as the actor.
/// </summary>
public static class UsersCommand
{
    private const string RoleHint = "use viewer, operator, auditor or admin";

    /// <param name="hostFactory">Builds the host for one invocation from the parse result (so that root options such as
    /// <c>--config</c> and <c>--verbose</c> apply); the command disposes it. It needs
    /// <see cref="IdentitySetup.AddIdentityStore"/> and <see cref="AuditSetup.AddAudit"/>, which AppHost registers.</param>
    /// <param name="stdin">Where <c>--password-stdin</c> reads from; the console by default.</param>
    public static Command Create(Func<ParseResult, IHost> hostFactory, Func<TextReader>? stdin = null)
    {
        var readStdin = stdin ?? (() => Console.In);
        var users = new Command("users", "Local accounts for the web console and API");
        users.Subcommands.Add(Add(hostFactory, readStdin));
        users.Subcommands.Add(List(hostFactory));
        users.Subcommands.Add(Change("disable", "Disable an account and end its sessions", hostFactory,
            (s, name, audit, ct) => s.GetRequiredService<UserStore>().DisableAsync(name, audit, ct)));
        users.Subcommands.Add(Change("enable", "Enable an account and clear its lockout", hostFactory,
            (s, name, audit, ct) => s.GetRequiredService<UserStore>().EnableAsync(name, audit, ct)));
        users.Subcommands.Add(ResetPassword(hostFactory, readStdin));
        return users;
    }

    private static Command Add(Func<ParseResult, IHost> hostFactory, Func<TextReader> stdin)
    {
        var name = new Argument<string>("name") { Description = "User name (letters, digits, . _ - @; not case-sensitive)" };
        var role = new Option<string>("--role") { Description = "viewer, operator, auditor or admin (required)" };
        var carriers = new Option<string>("--carriers") { Description = "Carrier ids the user may see, e.g. 544,545 (default: all)" };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of generating a one-time password" };
        var command = new Command("add", "Add a user; prints a one-time password once") { name, role, carriers, fromStdin };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var r = Roles.Parse(CliAction.Required(parse, role, RoleHint), "--role");
            var scope = CarrierScope.Parse(parse.GetValue(carriers), "--carriers");
            var password = parse.GetValue(fromStdin) ? ReadPassword(stdin) : null;
            var created = await services.GetRequiredService<UserStore>().AddAsync(parse.GetValue(name)!, r, scope, password, Audit("users.add"), ct);
            await output.WriteLineAsync($"user '{created.User.Name}' added: {r.Name()}, carriers {scope.Describe()}");
            await PrintPasswordAsync(output, created.OneTimePassword);
            return CliAction.Ok;
        });
        return command;
    }

    private static Command List(Func<ParseResult, IHost> hostFactory)
    {
        var command = new Command("list", "List users");
        CliAction.Set(command, hostFactory, async (_, services, output, ct) =>
        {
            var time = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var all = await services.GetRequiredService<UserStore>().ListAsync(ct);
            await output.WriteLineAsync($"{"NAME",-24} {"ROLE",-9} {"CARRIERS",-20} {"STATE",-26} CREATED");
            foreach (var u in all)
            {
                var state = u.Disabled ? "disabled"
                    : u.IsLockedOut(time) ? $"locked until {CliAction.When(u.LockedUntil)}"
                    : u.MustChangePassword ? "active, must change pw" : "active";
                await output.WriteLineAsync($"{u.Name,-24} {u.Role.Name(),-9} {u.Scope.Describe(),-20} {state,-26} {CliAction.When(u.CreatedAt)}");
            }

            await output.WriteLineAsync($"{all.Count} user(s)");
            return CliAction.Ok;
        });
        return command;
    }

    private static Command Change(string verb, string description, Func<ParseResult, IHost> hostFactory,
        Func<IServiceProvider, string, AuditChange<UserAccount>, CancellationToken, Task<(UserAccount Before, UserAccount After)?>> change)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var command = new Command(verb, description) { name };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var n = parse.GetValue(name)!;
            var (_, after) = await change(services, n, Audit($"users.{verb}"), ct) ?? throw NoSuchUser(n);
            await output.WriteLineAsync($"user '{after.Name}' {verb}d");
            return CliAction.Ok;
        });
        return command;
    }

    private static Command ResetPassword(Func<ParseResult, IHost> hostFactory, Func<TextReader> stdin)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input instead of generating a one-time password" };
        var command = new Command("reset-password", "Set a new one-time password, clear the lockout and end the user's sessions") { name, fromStdin };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var n = parse.GetValue(name)!;
            var password = parse.GetValue(fromStdin) ? ReadPassword(stdin) : null;
            var reset = await services.GetRequiredService<UserStore>().SetPasswordAsync(n, password, Audit("users.reset-password"), ct) ?? throw NoSuchUser(n);
            await output.WriteLineAsync($"password of '{reset.User.Name}' reset; their sessions are ended");
            await PrintPasswordAsync(output, reset.OneTimePassword);
            return CliAction.Ok;
        });
        return command;
    }

    private static string ReadPassword(Func<TextReader> stdin) =>
        stdin().ReadLine() is { Length: > 0 } line ? line : throw new InputException("password", "standard input has no password on its first line");

    private static async Task PrintPasswordAsync(TextWriter output, string? oneTime)
    {
        if (oneTime is not null)
        {
            await output.WriteLineAsync($"one-time password (shown only now; to be changed at first sign-in): {oneTime}");
        }
    }

    private static InputException NoSuchUser(string name) => new("name", $"there is no user '{name}'");

    /// <summary>The audit row of a change, by the OS user; the security stamp stays out of it, it is a session secret.</summary>
    private static AuditChange<UserAccount> Audit(string action) => (before, after) =>
        new AuditRecord(Actor.ForCli(), action, after.Name, AuditRecord.Json(Snapshot(before)), AuditRecord.Json(Snapshot(after)));

    internal static object? Snapshot(UserAccount? u) => u is null ? null : new
    {
        u.Name,
        Role = u.Role.Name(),
        Carriers = u.Scope.Describe(),
        u.Disabled,
        u.MustChangePassword,
        u.LockedUntil,
    };
}
