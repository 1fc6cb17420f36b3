using CarrierReports.Storage;

namespace CarrierReports.Audit;

/// <summary>
/// The audit table. Ids are assigned by the writer under the append lock (last id + 1), not by a sequence, so they
/// have no gaps and are part of the hash. Before/after are <c>text</c>, not <c>jsonb</c>: the hash covers the exact
/// text, which jsonb would reformat.
/// </summary>
public sealed class AuditSchema(ServiceDatabase database)
    : SchemaDdl(database, LockKey, Ddl)
{
    /// <summary>Also the advisory lock that serialises appends on PostgreSQL.</summary>
    public const long AppendLockKey = 20261201_21;

    private const long LockKey = 20261201_20;

    private static string Ddl(string ts) => $"""
        CREATE TABLE IF NOT EXISTS cr_audit (
            id bigint PRIMARY KEY,
            time {ts} NOT NULL,
            actor text NOT NULL,
            auth_method text NOT NULL,
            auth_id text,
            role text NOT NULL,
            action text NOT NULL,
            target text,
            before_json text,
            after_json text,
            client_address text,
            outcome text NOT NULL,
            prev_hash text NOT NULL,
            hash text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_cr_audit_time ON cr_audit (time);
        CREATE INDEX IF NOT EXISTS ix_cr_audit_actor ON cr_audit (actor, id);
        CREATE INDEX IF NOT EXISTS ix_cr_audit_action ON cr_audit (action, id);
        CREATE INDEX IF NOT EXISTS ix_cr_audit_target ON cr_audit (target, id);
        """;
}
