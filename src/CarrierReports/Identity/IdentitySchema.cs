using CarrierReports.Storage;

namespace CarrierReports.Identity;

/// <summary>The tables of local accounts and API keys. Booleans are integers (0/1) so one SQL runs on both databases.</summary>
public sealed class IdentitySchema(ServiceDatabase database)
    : SchemaDdl(database, LockKey, Ddl)
{
    private const long LockKey = 20261201_10;

    private static string Ddl(string ts) => $"""
        CREATE TABLE IF NOT EXISTS cr_users (
            name_key text PRIMARY KEY,
            name text NOT NULL,
            role text NOT NULL,
            carriers text NOT NULL,
            password_hash text NOT NULL,
            must_change_password integer NOT NULL,
            failed_attempts integer NOT NULL,
            locked_until {ts},
            disabled integer NOT NULL,
            security_stamp text NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL
        );
        CREATE TABLE IF NOT EXISTS cr_api_keys (
            id text PRIMARY KEY,
            name text NOT NULL,
            role text NOT NULL,
            carriers text NOT NULL,
            secret_sha256 text NOT NULL,
            created_by text NOT NULL,
            created_at {ts} NOT NULL,
            expires_at {ts},
            revoked_at {ts},
            revoked_by text,
            last_used_at {ts}
        );
        """;
}
