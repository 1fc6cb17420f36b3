using System.CommandLine;
using CarrierReports.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Storage;

/// <summary>
/// <c>db migrate</c>: creates the service database's tables (every <see cref="ISchemaPart"/>). The only command, with
/// <c>serve</c> and <c>demo</c>, that needs a role allowed to create tables; run it once per release.
/// </summary>
public static class DbMigrateCommand
{
    public static Command Create(CliContext cli)
    {
        var migrate = new Command("migrate", "Create the tables the service needs (idempotent; serve also does it at start). Needs CREATE on the schema; every other command needs only SELECT/INSERT/UPDATE/DELETE on the tables.");
        migrate.SetAction((parse, ct) => cli.RunAsync(parse, async services =>
        {
            var database = services.GetRequiredService<ServiceDatabase>();
            var parts = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
            foreach (var tables in parts)
            {
                await cli.Out.WriteLineAsync($"ok: {tables}");
            }

            await cli.Out.WriteLineAsync($"schema ready in {database.Options.Describe()}");
            return ExitCodes.Ok;
        }));
        return new Command("db", "The service database (setting Database:ConnectionString).") { migrate };
    }
}
