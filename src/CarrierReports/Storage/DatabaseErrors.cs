using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CarrierReports.Storage;

/// <summary>The PostgreSQL roles of the settings, without their passwords, for naming them in errors.</summary>
/// <param name="ServiceConnection">Kept only to ask the server which rights the role lacks; never printed.</param>
public sealed record DatabaseRoles(string? Service, string? Cdr, string? ServiceConnection = null, string? CdrConnection = null)
{
    public static DatabaseRoles From(IConfiguration configuration)
    {
        var service = configuration[$"{DatabaseOptions.Section}:ConnectionString"];
        var cdr = configuration[$"{CarrierReports.Cdr.CdrSourceOptions.Section}:ConnectionString"];
        return new(User(service), User(cdr), service, cdr);
    }

    private static string? User(string? connectionString)
    {
        try
        {
            return connectionString is { Length: > 0 } cs ? new NpgsqlConnectionStringBuilder(cs).Username : null;
        }
        catch (ArgumentException)
        {
            return null; // not a PostgreSQL connection string; the settings validation says so
        }
    }
}

/// <summary>
/// Turns PostgreSQL's "permission denied" and "relation does not exist" into a line that names the setting, the role and
/// the missing right, or the command that creates the tables.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>Missing tables or rights: no run can succeed until someone fixes the database, so it is not a run failure.</summary>
    public static bool IsAccessError(Exception ex) =>
        ex is DatabaseAccessException || (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedTable };

    public static async Task<string?> DescribeAsync(Exception ex, DatabaseRoles roles, CancellationToken cancellationToken)
    {
        var pg = ex as PostgresException ?? ex.InnerException as PostgresException;
        if (pg is null)
        {
            return null;
        }

        var raw = $"({pg.SqlState}: {pg.MessageText})";
        if (pg.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            var (kind, name) = Object(pg.MessageText, "permission denied for ");
            var service = kind != "table" || IsServiceTable(name);
            var setting = service ? DatabaseOptions.Section : CarrierReports.Cdr.CdrSourceOptions.Section;
            var role = (service ? roles.Service : roles.Cdr) ?? "(the connection's user)";
            var right = kind == "table" ? $"{await MissingRightsAsync(service ? roles.ServiceConnection : roles.CdrConnection, name, cancellationToken)} on {name}" : $"{(kind == "schema" ? "CREATE" : "the right")} on {kind} {name}";
            var hint = service && kind == "schema" ? "; tables are created by 'db migrate' (run it once with a role that may create them)" : "";
            return $"{setting}:ConnectionString: the role '{role}' lacks {right} {raw}{hint}";
        }

        if (pg.SqlState == PostgresErrorCodes.UndefinedTable && Object(pg.MessageText, "relation ") is var (_, table) && IsServiceTable(table))
        {
            return $"the service database has no table {table}: run 'db migrate' or start serve {raw}";
        }

        return null;
    }

    private static bool IsServiceTable(string name) => name.StartsWith("cr_", StringComparison.Ordinal) || name.StartsWith("qrtz_", StringComparison.Ordinal);

    /// <summary>"permission denied for table cr_runs" → (table, cr_runs); "relation \"cr_users\" does not exist" → (relation, cr_users).</summary>
    private static (string Kind, string Name) Object(string message, string prefix)
    {
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return ("", "");
        }

        var rest = message[prefix.Length..];
        if (prefix == "relation ")
        {
            return ("relation", rest.Split(' ')[0].Trim('"'));
        }

        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? ("object", rest) : (rest[..space], rest[(space + 1)..].Trim('"'));
    }

    /// <summary>
    /// Asks the server which table rights the role lacks (the exception does not say which statement failed). Any
    /// failure to ask leaves a vaguer but still true answer.
    /// </summary>
    private static async Task<string> MissingRightsAsync(string? connectionString, string table, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand(
                "SELECT string_agg(p, ', ' ORDER BY o) FROM unnest(array['SELECT','INSERT','UPDATE','DELETE']) WITH ORDINALITY AS r(p, o) WHERE NOT has_table_privilege($1, p)",
                connection) { Parameters = { new() { Value = table } } };
            return await cmd.ExecuteScalarAsync(cancellationToken) as string ?? "a right it needs";
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return "a right it needs";
        }
    }
}
