using CarrierReports.Cli;
using CarrierReports.Access;
using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CarrierReports.Audit;

/// <summary><c>audit verify|export</c>: check the hash chain, export rows as CSV (the export itself is audited).</summary>
public static class AuditCommand
{
    /// <param name="hostFactory">As for <see cref="UsersCommand.Create"/>.</param>
    public static Command Create(Func<ParseResult, IHost> hostFactory)
    {
        var audit = new Command("audit", "The tamper-evident audit trail");
        audit.Subcommands.Add(Verify(hostFactory));
        audit.Subcommands.Add(Export(hostFactory));
        return audit;
    }

    private static Command Verify(Func<ParseResult, IHost> hostFactory)
    {
        var command = new Command("verify", "Check the hash chain; exit 1 and name the first bad row if it is broken");
        CliAction.Set(command, hostFactory, async (_, services, output, ct) =>
        {
            var result = await services.GetRequiredService<AuditTrail>().VerifyAsync(ct);
            if (result.Intact)
            {
                await output.WriteLineAsync($"audit trail intact: {result.Rows} row(s), last hash {result.HeadHash}");
                return CliAction.Ok;
            }

            await output.WriteLineAsync($"audit trail BROKEN at row {result.FirstBadId}: {result.Problem} ({result.Rows} row(s) before it are intact)");
            return CliAction.Failed;
        });
        return command;
    }

    private static Command Export(Func<ParseResult, IHost> hostFactory)
    {
        var file = new Option<string>("--out") { Description = "The CSV file to write (required)" };
        var from = new Option<string>("--from") { Description = "From this date or instant (inclusive, UTC)" };
        var to = new Option<string>("--to") { Description = "Until this date or instant (exclusive, UTC)" };
        var actor = new Option<string>("--actor") { Description = "Only this actor" };
        var action = new Option<string>("--action") { Description = "Only this action, or a prefix ending in * (users.*)" };
        var command = new Command("export", "Write audit rows as CSV") { file, from, to, actor, action };
        CliAction.Set(command, hostFactory, async (parse, services, output, ct) =>
        {
            var path = Path.GetFullPath(CliAction.Required(parse, file, "the CSV file to write"));
            var filter = new AuditFilter(parse.GetValue(actor), parse.GetValue(action), From: CliAction.Instant(parse, from), To: CliAction.Instant(parse, to));
            if (filter is { From: { } f, To: { } t } && f >= t)
            {
                throw new InputException("--to", $"{t:O} is not after --from ({f:O})");
            }

            var dir = Path.GetDirectoryName(path);
            if (dir is not null && !Directory.Exists(dir))
            {
                throw new InputException("--out", $"folder '{dir}' does not exist");
            }

            long rows;
            await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                rows = await AuditCsv.WriteAsync(writer, services.GetRequiredService<AuditSearch>().ReadAllAsync(filter, ct), ct);
            }

            await services.GetRequiredService<AuditTrail>().AppendAsync(new AuditRecord(Actor.ForCli(), "audit.export", path,
                After: AuditRecord.Json(new { rows, filter.Actor, filter.Action, filter.From, filter.To })), ct);
            await output.WriteLineAsync($"{rows} audit row(s) written to {path}");
            return CliAction.Ok;
        });
        return command;
    }
}
