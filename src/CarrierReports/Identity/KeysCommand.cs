using CarrierReports.Cli;
using CarrierReports.Access;
using System.CommandLine;
using CarrierReports.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CarrierReports.Identity;

/// <summary><c>keys create|list|revoke</c>: API keys for automation. Every change is audited with the OS user as the actor.</summary>
public static class KeysCommand
{
    /// <param name="hostFactory">As for <see cref="UsersCommand.Create"/>.</param>
    public static Command Create(Func<ParseResult, IHost> hostFactory)
    {
        var keys = new Command("keys", "API keys for automation (Authorization: Bearer <key>)");
        keys.Subcommands.Add(CreateKey(hostFactory));
        keys.Subcommands.Add(List(hostFactory));
        keys.Subcommands.Add(Revoke(hostFactory));
        return keys;
    }

    private static Command CreateKey(Func<ParseResult, IHost> hostFactory)
    {
        var name = new Argument<string>("name") { Description = "What the key is for, e.g. billing-export" };
        var role = new Option<string>("--role") { Description = "viewer, operator, auditor or admin (required)" };
        var carriers = new Option<string>("--carriers") { Description = "Carrier ids the key may see, e.g. 544,545 (default: all)" };
        var expires = new Option<string>("--expires") { Description = "When the key stops working: a date (midnight UTC) or an instant (default: never)" };
        var command = new Command("create", "Create a key; prints it once") { name, role, carriers, expires };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var r = Roles.Parse(CliAction.Required(parse, role, "use viewer, operator, auditor or admin"), "--role");
            var scope = CarrierScope.Parse(parse.GetValue(carriers), "--carriers");
            var until = CliAction.Instant(parse, expires);
            var actor = Actor.ForCli();
            var created = await services.GetRequiredService<ApiKeyStore>().CreateAsync(parse.GetValue(name)!, r, scope, until, actor.Name, Audit(actor, "keys.create"), ct);
            await output.WriteLineAsync($"key {created.Key.Id} '{created.Key.Name}' created: {r.Name()}, carriers {scope.Describe()}, expires {CliAction.When(until)}");
            await output.WriteLineAsync($"key (shown only now): {created.Token}");
            return CliAction.Ok;
        });
        return command;
    }

    private static Command List(Func<ParseResult, IHost> hostFactory)
    {
        var command = new Command("list", "List keys (never their secrets)");
        CliAction.Set(command, hostFactory, async (_, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var all = await services.GetRequiredService<ApiKeyStore>().ListAsync(ct);
            await output.WriteLineAsync($"{"ID",-16} {"NAME",-24} {"ROLE",-9} {"CARRIERS",-16} {"STATE",-8} {"EXPIRES",-18} LAST USED");
            foreach (var k in all)
            {
                var state = k.RevokedAt is not null ? "revoked" : k.IsExpired(now) ? "expired" : "active";
                await output.WriteLineAsync($"{k.Id,-16} {k.Name,-24} {k.Role.Name(),-9} {k.Scope.Describe(),-16} {state,-8} {CliAction.When(k.ExpiresAt),-18} {CliAction.When(k.LastUsedAt)}");
            }

            await output.WriteLineAsync($"{all.Count} key(s)");
            return CliAction.Ok;
        });
        return command;
    }

    private static Command Revoke(Func<ParseResult, IHost> hostFactory)
    {
        var id = new Argument<string>("id") { Description = "The key id (the 16 hex digits after crk_)" };
        var command = new Command("revoke", "Revoke a key; it stops working at once") { id };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var keyId = parse.GetValue(id)!;
            var actor = Actor.ForCli();
            var (_, after) = await services.GetRequiredService<ApiKeyStore>().RevokeAsync(keyId, actor.Name, Audit(actor, "keys.revoke"), ct)
                ?? throw new InputException("<id>", $"there is no key '{keyId}'");
            await output.WriteLineAsync($"key {after.Id} '{after.Name}' revoked");
            return CliAction.Ok;
        });
        return command;
    }

    private static AuditChange<ApiKey> Audit(Actor actor, string action) => (before, after) =>
        new AuditRecord(actor, action, after.Id, AuditRecord.Json(Snapshot(before)), AuditRecord.Json(Snapshot(after)));

    internal static object? Snapshot(ApiKey? k) => k is null ? null : new
    {
        k.Id,
        k.Name,
        Role = k.Role.Name(),
        Carriers = k.Scope.Describe(),
        k.ExpiresAt,
        k.RevokedAt,
        k.RevokedBy,
    };
}
