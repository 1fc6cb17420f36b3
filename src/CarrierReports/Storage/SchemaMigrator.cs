using Microsoft.Extensions.Logging;

namespace CarrierReports.Storage;

/// <summary>
/// The one place that creates tables: every registered <see cref="ISchemaPart"/>, in registration order. Run by
/// <c>db migrate</c>, and by <c>serve</c> and <c>demo</c> at start; every other command only uses existing tables, so
/// a role with SELECT rights alone can read the ledger and the audit trail.
/// </summary>
public sealed partial class SchemaMigrator(ServiceDatabase database, IEnumerable<ISchemaPart> parts, ILogger<SchemaMigrator> logger)
{
    /// <summary>Creates what is missing; returns the tables of each part, in the order they were created.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWithoutSchemaAsync(cancellationToken);
        var done = new List<string>();
        foreach (var part in parts)
        {
            await part.CreateAsync(connection, cancellationToken);
            done.Add(part.Tables);
            LogPart(logger, part.Tables);
        }

        database.MarkSchemaReady();
        return done;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Schema in place: {Tables}")]
    private static partial void LogPart(ILogger logger, string tables);
}
