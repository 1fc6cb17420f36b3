using System.Data.Common;
using CarrierReports.Storage;

namespace CarrierReports.Rollups;

/// <summary>The rollup tables as a part of <c>db migrate</c> (the rollup commands and jobs also create them when missing).</summary>
public sealed class RollupSchemaPart(ServiceDatabase database) : ISchemaPart
{
    public string Tables => "cr_rollups, cr_rollup_hours, cr_rollup_days, cr_rollup_state";

    public Task CreateAsync(DbConnection connection, CancellationToken cancellationToken) =>
        RollupSchema.CreateAsync(connection, database.IsPostgres, cancellationToken);
}
