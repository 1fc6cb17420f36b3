using System.CommandLine;
using CarrierReports.Cli;
using Microsoft.Extensions.Hosting;

namespace CarrierReports.Scheduling;

/// <summary><c>serve</c>: the scheduler, until SIGTERM or Ctrl+C (which wait for running jobs).</summary>
public static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("serve", "Run the scheduler: every enabled subscription fires on its cadence (SIGTERM/Ctrl+C waits for running jobs). With Database:Provider=Postgres, several nodes share the work (Quartz clustering).");
        command.SetAction(async (parse, ct) =>
        {
            using var host = cli.BuildHost(parse, b => b.Services.AddScheduling(b.Configuration), service: true);
            await host.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
