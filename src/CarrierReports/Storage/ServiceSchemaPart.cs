using System.Data.Common;

namespace CarrierReports.Storage;

/// <summary>The service's own tables (<see cref="ServiceSchema"/>) as a part of the migration.</summary>
public sealed class ServiceSchemaPart(ServiceDatabase database) : ISchemaPart
{
    public string Tables => "cr_subscriptions, cr_runs, cr_run_artifacts, cr_deliveries";

    public Task CreateAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ServiceSchema.CreateAsync(connection, database.IsPostgres, cancellationToken);
}
