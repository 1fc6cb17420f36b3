using CarrierReports.Access;
using System.Data.Common;
using System.Security.Cryptography;
using CarrierReports.Audit;
using CarrierReports.Storage;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

/// <summary>
/// API keys for automation. A key's token <c>crk_&lt;id&gt;_&lt;secret&gt;</c> is returned once by
/// <see cref="CreateAsync"/>; the table keeps the id in clear (to find the row) and only SHA-256 of the secret (a
/// 256-bit random secret needs no slow hash). The bearer auth handler calls <see cref="VerifyAsync"/>.
/// </summary>
public sealed class ApiKeyStore(IdentitySchema schema, IOptions<AccountOptions> options, AuditTrail trail, TimeProvider time)
{
    private const string Columns = "id, name, role, carriers, created_by, created_at, expires_at, revoked_at, revoked_by, last_used_at";

    /// <exception cref="InputException">The name is empty or the expiry is not in the future.</exception>
    public Task<NewApiKey> CreateAsync(string name, Role role, CarrierScope scope, DateTimeOffset? expiresAt, string createdBy, CancellationToken cancellationToken) =>
        CreateAsync(name, role, scope, expiresAt, createdBy, null, cancellationToken);

    /// <param name="audit">The audit row of the creation, written in the same transaction.</param>
    public async Task<NewApiKey> CreateAsync(string name, Role role, CarrierScope scope, DateTimeOffset? expiresAt, string createdBy,
        AuditChange<ApiKey>? audit, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new InputException("name", "must be 1-100 characters (what the key is for)");
        }

        var now = time.GetUtcNow();
        if (expiresAt is { } e && e <= now)
        {
            throw new InputException("expires", $"{e:O} is not in the future");
        }

        var key = new ApiKey(Secrets.KeyId(), name, role, scope, createdBy, now, expiresAt, null, null, null);
        var secret = Secrets.KeySecret();
        if (audit is not null)
        {
            await trail.EnsureSchemaAsync(cancellationToken);
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO cr_api_keys (id, name, role, carriers, secret_sha256, created_by, created_at, expires_at)
            VALUES (@id, @name, @role, @carriers, @sha, @by, @now, @expires)
            """;
        ServiceDatabase.Add(cmd, "id", key.Id);
        ServiceDatabase.Add(cmd, "name", name);
        ServiceDatabase.Add(cmd, "role", role.Name());
        ServiceDatabase.Add(cmd, "carriers", scope.ToString());
        ServiceDatabase.Add(cmd, "sha", Convert.ToHexStringLower(Secrets.Sha256(secret)));
        ServiceDatabase.Add(cmd, "by", createdBy);
        ServiceDatabase.Add(cmd, "now", now);
        ServiceDatabase.Add(cmd, "expires", expiresAt);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        if (audit is not null)
        {
            await trail.AppendAsync(audit(null, key), connection, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return new NewApiKey(key, $"{ApiKey.Prefix}{key.Id}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM cr_api_keys ORDER BY created_at, id";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public Task<(ApiKey Before, ApiKey After)?> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken) =>
        RevokeAsync(id, revokedBy, null, cancellationToken);

    /// <returns>The key before and after; null when there is no such key. Revoking twice keeps the first time.</returns>
    public async Task<(ApiKey Before, ApiKey After)?> RevokeAsync(string id, string revokedBy, AuditChange<ApiKey>? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await trail.EnsureSchemaAsync(cancellationToken);
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, tx, id, cancellationToken);
        if (before is null)
        {
            return null;
        }

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"""
            UPDATE cr_api_keys SET revoked_at = COALESCE(revoked_at, @now), revoked_by = COALESCE(revoked_by, @by)
            WHERE id = @id RETURNING {Columns}
            """;
        ServiceDatabase.Add(cmd, "id", id);
        ServiceDatabase.Add(cmd, "now", time.GetUtcNow());
        ServiceDatabase.Add(cmd, "by", revokedBy);
        return await trail.CommitChangeAsync(cmd, Read, before, audit, connection, tx, cancellationToken);
    }

    /// <summary>Checks a bearer token and, when it is good, records its use.</summary>
    public async Task<KeyCheckResult> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (!TryParse(token, out var id, out var secret))
        {
            return new KeyCheckResult(KeyStatus.Malformed, null);
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns}, secret_sha256 FROM cr_api_keys WHERE id = @id";
        ServiceDatabase.Add(cmd, "id", id);
        ApiKey key;
        byte[] stored;
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new KeyCheckResult(KeyStatus.UnknownKey, null);
            }

            key = Read(reader);
            stored = Convert.FromHexString(reader.GetString(10));
        }

        var now = time.GetUtcNow();
        if (!CryptographicOperations.FixedTimeEquals(Secrets.Sha256(secret), stored))
        {
            return new KeyCheckResult(KeyStatus.WrongSecret, key);
        }

        if (key.RevokedAt is not null)
        {
            return new KeyCheckResult(KeyStatus.Revoked, key);
        }

        if (key.IsExpired(now))
        {
            return new KeyCheckResult(KeyStatus.Expired, key);
        }

        return new KeyCheckResult(KeyStatus.Succeeded, await RecordUseAsync(connection, key, now, cancellationToken));
    }

    private async Task<ApiKey> RecordUseAsync(DbConnection connection, ApiKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (key.LastUsedAt is { } last && now - last < options.Value.KeyLastUsedPrecision)
        {
            return key;
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE cr_api_keys SET last_used_at = @now WHERE id = @id";
        ServiceDatabase.Add(cmd, "id", key.Id);
        ServiceDatabase.Add(cmd, "now", now);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return key with { LastUsedAt = now };
    }

    private async Task<ApiKey?> FindAsync(DbConnection connection, DbTransaction tx, string id, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {Columns} FROM cr_api_keys WHERE id = @id" + (schema.IsPostgres ? " FOR UPDATE" : "");
        ServiceDatabase.Add(cmd, "id", id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Splits <c>crk_&lt;id&gt;_&lt;secret&gt;</c>; the id is 16 hex digits and the secret 64.</summary>
    public static bool TryParse(string token, out string id, out string secret)
    {
        id = secret = "";
        var t = token.Trim();
        if (!t.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || t.Length != ApiKey.Prefix.Length + 16 + 1 + 64 || t[ApiKey.Prefix.Length + 16] != '_')
        {
            return false;
        }

        id = t.Substring(ApiKey.Prefix.Length, 16);
        secret = t[(ApiKey.Prefix.Length + 17)..];
        return id.All(char.IsAsciiHexDigitLower) && secret.All(char.IsAsciiHexDigitLower);
    }

    private static ApiKey Read(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Roles.Parse(r.GetString(2), "cr_api_keys.role"),
        CarrierScope.Parse(r.GetString(3), "cr_api_keys.carriers"),
        r.GetString(4),
        ServiceDatabase.ReadInstant(r, 5),
        r.IsDBNull(6) ? null : ServiceDatabase.ReadInstant(r, 6),
        r.IsDBNull(7) ? null : ServiceDatabase.ReadInstant(r, 7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : ServiceDatabase.ReadInstant(r, 9));
}
