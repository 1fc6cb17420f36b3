using CarrierReports.Access;
using System.Data.Common;
using CarrierReports.Audit;
using CarrierReports.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

/// <summary>
/// Local accounts in the service database: add, list, disable, enable, set a password. Names are unique regardless of
/// case (the key column holds the lower-case name). Password checks are in <see cref="PasswordSignIn"/>.
/// </summary>
public sealed class UserStore(IdentitySchema schema, IPasswordHasher<UserAccount> hasher, IOptions<AccountOptions> options, AuditTrail trail, TimeProvider time)
{
    internal const string Columns =
        "name, role, carriers, disabled, must_change_password, failed_attempts, locked_until, security_stamp, created_at, updated_at";

    /// <summary>Adds a user with the given password, or with a generated one-time password that must be changed.</summary>
    /// <exception cref="InputException">The name, role or password is not acceptable, or the name is taken.</exception>
    public Task<NewPassword> AddAsync(string name, Role role, CarrierScope scope, string? password, CancellationToken cancellationToken) =>
        AddAsync(name, role, scope, password, null, cancellationToken);

    /// <param name="audit">The audit row of the addition, written in the same transaction.</param>
    public async Task<NewPassword> AddAsync(string name, Role role, CarrierScope scope, string? password, AuditChange<UserAccount>? audit, CancellationToken cancellationToken)
    {
        name = ValidateName(name);
        var oneTime = password is null ? Secrets.OneTimePassword() : null;
        var chosen = password ?? oneTime!;
        CheckPassword(chosen);
        var now = time.GetUtcNow();
        var user = new UserAccount(name, role, scope, false, oneTime is not null, 0, null, Secrets.Stamp(), now, now);

        if (audit is not null)
        {
            await trail.EnsureSchemaAsync(cancellationToken);
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO cr_users (name_key, name, role, carriers, password_hash, must_change_password, failed_attempts,
                                  locked_until, disabled, security_stamp, created_at, updated_at)
            VALUES (@key, @name, @role, @carriers, @hash, @must, 0, NULL, 0, @stamp, @now, @now)
            ON CONFLICT (name_key) DO NOTHING
            """;
        ServiceDatabase.Add(cmd, "key", Key(name));
        ServiceDatabase.Add(cmd, "name", name);
        ServiceDatabase.Add(cmd, "role", role.Name());
        ServiceDatabase.Add(cmd, "carriers", scope.ToString());
        ServiceDatabase.Add(cmd, "hash", hasher.HashPassword(user, chosen));
        ServiceDatabase.Add(cmd, "must", user.MustChangePassword ? 1 : 0);
        ServiceDatabase.Add(cmd, "stamp", user.SecurityStamp);
        ServiceDatabase.Add(cmd, "now", now);
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InputException("name", $"a user '{name}' already exists (names are not case-sensitive)");
        }

        if (audit is not null)
        {
            await trail.AppendAsync(audit(null, user), connection, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return new NewPassword(user, oneTime);
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM cr_users ORDER BY name_key";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <returns>Null when there is no such user.</returns>
    public async Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM cr_users WHERE name_key = @key";
        ServiceDatabase.Add(cmd, "key", Key(name));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// The cookie handler's check on each request (or each validation interval): the session stands only while the
    /// account is enabled and its security stamp is still the one the cookie was issued with.
    /// </summary>
    /// <returns>The current account, or null when the session must end.</returns>
    public async Task<UserAccount?> ValidateSessionAsync(string name, string securityStamp, CancellationToken cancellationToken)
    {
        var user = await FindAsync(name, cancellationToken);
        return user is { Disabled: false } && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(user.SecurityStamp), System.Text.Encoding.UTF8.GetBytes(securityStamp)) ? user : null;
    }

    /// <summary>Disables the account and changes its security stamp, which ends its sessions.</summary>
    /// <returns>The account before and after; null when there is no such user.</returns>
    public Task<(UserAccount Before, UserAccount After)?> DisableAsync(string name, AuditChange<UserAccount>? audit, CancellationToken cancellationToken) =>
        UpdateAsync(name, "disabled = 1, security_stamp = @stamp", cmd => ServiceDatabase.Add(cmd, "stamp", Secrets.Stamp()), audit, cancellationToken);

    public Task<(UserAccount Before, UserAccount After)?> DisableAsync(string name, CancellationToken cancellationToken) =>
        DisableAsync(name, null, cancellationToken);

    /// <summary>Enables the account and clears any lockout.</summary>
    public Task<(UserAccount Before, UserAccount After)?> EnableAsync(string name, AuditChange<UserAccount>? audit, CancellationToken cancellationToken) =>
        UpdateAsync(name, "disabled = 0, failed_attempts = 0, locked_until = NULL", _ => { }, audit, cancellationToken);

    public Task<(UserAccount Before, UserAccount After)?> EnableAsync(string name, CancellationToken cancellationToken) =>
        EnableAsync(name, null, cancellationToken);

    /// <summary>
    /// Sets a new password (a generated one-time password when <paramref name="password"/> is null, which must be
    /// changed at the next sign-in), clears any lockout and changes the security stamp.
    /// </summary>
    /// <returns>Null when there is no such user.</returns>
    public Task<NewPassword?> SetPasswordAsync(string name, string? password, CancellationToken cancellationToken) =>
        SetPasswordAsync(name, password, null, cancellationToken);

    public async Task<NewPassword?> SetPasswordAsync(string name, string? password, AuditChange<UserAccount>? audit, CancellationToken cancellationToken)
    {
        var oneTime = password is null ? Secrets.OneTimePassword() : null;
        var chosen = password ?? oneTime!;
        CheckPassword(chosen);
        var changed = await UpdateAsync(name, "password_hash = @hash, must_change_password = @must, failed_attempts = 0, locked_until = NULL, security_stamp = @stamp", cmd =>
        {
            ServiceDatabase.Add(cmd, "hash", hasher.HashPassword(null!, chosen));
            ServiceDatabase.Add(cmd, "must", oneTime is null ? 0 : 1);
            ServiceDatabase.Add(cmd, "stamp", Secrets.Stamp());
        }, audit, cancellationToken);
        return changed is { } c ? new NewPassword(c.After, oneTime) : null;
    }

    private async Task<(UserAccount Before, UserAccount After)?> UpdateAsync(string name, string set, Action<DbCommand> parameters,
        AuditChange<UserAccount>? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await trail.EnsureSchemaAsync(cancellationToken);
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.Transaction = tx;
        // FOR UPDATE keeps the "before" true on PostgreSQL; SQLite's write transaction already excludes other writers.
        select.CommandText = $"SELECT {Columns} FROM cr_users WHERE name_key = @key" + (schema.IsPostgres ? " FOR UPDATE" : "");
        ServiceDatabase.Add(select, "key", Key(name));
        UserAccount before;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            before = Read(reader);
        }

        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = $"UPDATE cr_users SET {set}, updated_at = @now WHERE name_key = @key RETURNING {Columns}";
        ServiceDatabase.Add(update, "key", Key(name));
        ServiceDatabase.Add(update, "now", time.GetUtcNow());
        parameters(update);
        return await trail.CommitChangeAsync(update, Read, before, audit, connection, tx, cancellationToken);
    }

    internal static string Key(string name) => name.Trim().ToLowerInvariant();

    private static string ValidateName(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
        {
            throw new InputException("name", $"'{name}' is not a user name (1-64 letters, digits, '.', '_', '-', '@')");
        }

        return name;
    }

    private void CheckPassword(string password)
    {
        var min = options.Value.MinPasswordLength;
        if (password.Length < min)
        {
            throw new InputException("password", $"is {password.Length} characters; at least {min} are required (Identity:MinPasswordLength)");
        }
    }

    internal static UserAccount Read(DbDataReader r) => new(
        r.GetString(0),
        Roles.Parse(r.GetString(1), "cr_users.role"),
        CarrierScope.Parse(r.GetString(2), "cr_users.carriers"),
        r.GetInt32(3) != 0,
        r.GetInt32(4) != 0,
        r.GetInt32(5),
        r.IsDBNull(6) ? null : ServiceDatabase.ReadInstant(r, 6),
        r.GetString(7),
        ServiceDatabase.ReadInstant(r, 8),
        ServiceDatabase.ReadInstant(r, 9));
}
