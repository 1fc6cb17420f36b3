using CarrierReports.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

/// <summary>
/// Checks a user's password with lockout: after <see cref="AccountOptions.MaxFailedAttempts"/> wrong passwords in a
/// row the account is locked for <see cref="AccountOptions.LockoutDuration"/>, during which even the right password
/// fails. The web sign-in endpoint calls <see cref="VerifyAsync"/> and audits the result.
/// </summary>
public sealed class PasswordSignIn(IdentitySchema schema, UserStore users, IPasswordHasher<UserAccount> hasher, IOptions<AccountOptions> options, TimeProvider time)
{
    // Hashed for unknown names, so that "no such user" takes as long as "wrong password" and names cannot be probed.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(null!, Secrets.OneTimePassword()));

    public async Task<SignInResult> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await FindWithHashAsync(name, cancellationToken);
        if (found is not var (user, hash))
        {
            hasher.VerifyHashedPassword(null!, _dummyHash.Value, password);
            return new SignInResult(SignInStatus.UnknownUser, null);
        }

        if (user.Disabled)
        {
            return new SignInResult(SignInStatus.Disabled, user);
        }

        if (user.IsLockedOut(now))
        {
            return new SignInResult(SignInStatus.LockedOut, user);
        }

        var verdict = hasher.VerifyHashedPassword(user, hash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var after = await CountFailureAsync(user.Name, now, cancellationToken);
            return new SignInResult(after.IsLockedOut(now) ? SignInStatus.LockedOut : SignInStatus.WrongPassword, after);
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : null;
        var signedIn = await ResetFailuresAsync(user.Name, rehash, now, cancellationToken);
        return new SignInResult(SignInStatus.Succeeded, signedIn);
    }

    /// <summary>The user changes their own password (e.g. the one-time one); the current password is checked first.</summary>
    /// <returns>The check of the current password; on success its user is the account after the change.</returns>
    public Task<SignInResult> ChangePasswordAsync(string name, string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        ChangePasswordAsync(name, currentPassword, newPassword, null, cancellationToken);

    /// <param name="audit">The audit row of the change, written in its transaction; a failed check is for the caller to audit.</param>
    public async Task<SignInResult> ChangePasswordAsync(string name, string currentPassword, string newPassword,
        Audit.AuditChange<UserAccount>? audit, CancellationToken cancellationToken)
    {
        var check = await VerifyAsync(name, currentPassword, cancellationToken);
        if (!check.Succeeded)
        {
            return check;
        }

        var changed = await users.SetPasswordAsync(name, newPassword, audit, cancellationToken);
        return new SignInResult(SignInStatus.Succeeded, changed?.User);
    }

    private async Task<(UserAccount User, string Hash)?> FindWithHashAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {UserStore.Columns}, password_hash FROM cr_users WHERE name_key = @key";
        ServiceDatabase.Add(cmd, "key", UserStore.Key(name));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (UserStore.Read(reader), reader.GetString(10)) : null;
    }

    /// <summary>One statement, so that concurrent wrong passwords all count; reaching the limit locks and restarts the count.</summary>
    private async Task<UserAccount> CountFailureAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            UPDATE cr_users SET
                failed_attempts = CASE WHEN failed_attempts + 1 >= @max THEN 0 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN failed_attempts + 1 >= @max THEN @until ELSE locked_until END,
                updated_at = @now
            WHERE name_key = @key
            RETURNING {UserStore.Columns}
            """;
        ServiceDatabase.Add(cmd, "key", UserStore.Key(name));
        ServiceDatabase.Add(cmd, "max", options.Value.MaxFailedAttempts);
        ServiceDatabase.Add(cmd, "until", now + options.Value.LockoutDuration);
        ServiceDatabase.Add(cmd, "now", now);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return UserStore.Read(reader);
    }

    private async Task<UserAccount> ResetFailuresAsync(string name, string? rehash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        // A rehash keeps the security stamp: the password itself did not change.
        cmd.CommandText = $"""
            UPDATE cr_users SET failed_attempts = 0, locked_until = NULL{(rehash is null ? "" : ", password_hash = @rehash")}, updated_at = @now
            WHERE name_key = @key
            RETURNING {UserStore.Columns}
            """;
        ServiceDatabase.Add(cmd, "key", UserStore.Key(name));
        ServiceDatabase.Add(cmd, "now", now);
        if (rehash is not null)
        {
            ServiceDatabase.Add(cmd, "rehash", rehash);
        }

        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return UserStore.Read(reader);
    }
}
