using CarrierReports.Identity;
using CarrierReports.Storage;

namespace CarrierReports.Subscriptions;

/// <summary>
/// <c>cr_subscription_versions</c>: every version of a database subscription, kept forever. The live definition stays
/// in <c>cr_subscriptions</c> (what the scheduler reads); a deletion removes that row and adds a version flagged
/// <c>deleted</c>, so the history and a restore survive it.
/// </summary>
public sealed class SubscriptionVersionSchema(ServiceDatabase database)
    : SchemaDdl(database, 20261201_40, Ddl)
{
    private static string Ddl(string ts) => $"""
        CREATE TABLE IF NOT EXISTS cr_subscription_versions (
            subscription_id text NOT NULL,
            version integer NOT NULL,
            action text NOT NULL,
            deleted integer NOT NULL,
            definition text NOT NULL,
            before_definition text,
            changed_fields text NOT NULL,
            changed_by text NOT NULL,
            changed_at {ts} NOT NULL,
            PRIMARY KEY (subscription_id, version)
        );
        """;
}
