using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Identity;

/// <summary>Local accounts and password sign-in with lockout, on PostgreSQL and on SQLite.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PasswordSignInTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private Task<IdentityTestDb> DbAsync(string provider, int maxFailed = 3, string lockout = "00:10:00") =>
        IdentityTestDb.CreateAsync(pg, provider, new() { ["Identity:MaxFailedAttempts"] = maxFailed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Identity:LockoutDuration"] = lockout });

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Add_GeneratedOneTimePassword_VerifiesMustBeChangedAndIsStoredOnlyAsAHash(string provider)
    {
        await using var db = await DbAsync(provider);
        var created = await db.Get<UserStore>().AddAsync("Alice", Role.Operator, CarrierScope.Parse("544,545", "--carriers"), null, Ct);

        var otp = Assert.IsType<string>(created.OneTimePassword);
        Assert.True(otp.Length >= 20, otp);
        Assert.True(created.User.MustChangePassword);
        var stored = (string)(await db.ScalarAsync("SELECT password_hash FROM cr_users WHERE name_key = 'alice'"))!;
        Assert.DoesNotContain(otp, stored, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<UserAccount>().VerifyHashedPassword(created.User, stored, otp));

        var signIn = db.Get<PasswordSignIn>();
        var ok = await signIn.VerifyAsync("ALICE", otp, Ct);
        Assert.Equal(SignInStatus.Succeeded, ok.Status);
        Assert.Equal("Alice", ok.User!.Name);
        Assert.Equal(Role.Operator, ok.User.Role);
        Assert.True(ok.User.Scope.Allows("545"));
        Assert.False(ok.User.Scope.Allows("546"));
        Assert.True(ok.User.MustChangePassword);
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("alice", otp + "x", Ct)).Status);
        Assert.Equal(SignInStatus.UnknownUser, (await signIn.VerifyAsync("bob", otp, Ct)).Status);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Names_AreUniqueRegardlessOfCase_AndChosenPasswordsHaveAMinimumLength(string provider)
    {
        await using var db = await DbAsync(provider);
        var users = db.Get<UserStore>();
        await users.AddAsync("Alice", Role.Viewer, CarrierScope.All, "correct horse battery", Ct);

        var taken = await Assert.ThrowsAsync<InputException>(() => users.AddAsync("alice", Role.Admin, CarrierScope.All, null, Ct));
        Assert.Equal("name", taken.Field);
        var shortPw = await Assert.ThrowsAsync<InputException>(() => users.AddAsync("bob", Role.Admin, CarrierScope.All, "short", Ct));
        Assert.Equal("password", shortPw.Field);
        var badName = await Assert.ThrowsAsync<InputException>(() => users.AddAsync("bob smith", Role.Admin, CarrierScope.All, null, Ct));
        Assert.Equal("name", badName.Field);
        Assert.Equal(["Alice"], (await users.ListAsync(Ct)).Select(u => u.Name));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Lockout_AfterMaxFailures_RefusesTheRightPasswordUntilTheDurationHasPassed(string provider)
    {
        await using var db = await DbAsync(provider, maxFailed: 3, lockout: "00:10:00");
        const string pw = "correct horse battery";
        await db.Get<UserStore>().AddAsync("carol", Role.Auditor, CarrierScope.All, pw, Ct);
        var signIn = db.Get<PasswordSignIn>();

        // A success in between restarts the count.
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("carol", "wrong-1", Ct)).Status);
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("carol", "wrong-2", Ct)).Status);
        Assert.Equal(SignInStatus.Succeeded, (await signIn.VerifyAsync("carol", pw, Ct)).Status);
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("carol", "wrong-3", Ct)).Status);
        var second = await signIn.VerifyAsync("carol", "wrong-4", Ct);
        Assert.Equal(SignInStatus.WrongPassword, second.Status);
        Assert.Equal(2, second.User!.FailedAttempts);

        var third = await signIn.VerifyAsync("carol", "wrong-5", Ct);
        Assert.Equal(SignInStatus.LockedOut, third.Status);
        Assert.Equal(db.Clock.GetUtcNow().AddMinutes(10), third.User!.LockedUntil);
        Assert.Equal(SignInStatus.LockedOut, (await signIn.VerifyAsync("carol", pw, Ct)).Status);

        db.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(SignInStatus.LockedOut, (await signIn.VerifyAsync("carol", pw, Ct)).Status);
        db.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var after = await signIn.VerifyAsync("carol", pw, Ct);
        Assert.Equal(SignInStatus.Succeeded, after.Status);
        Assert.Equal(0, after.User!.FailedAttempts);
        Assert.Null(after.User.LockedUntil);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Disable_RejectsTheRightPasswordAndChangesTheStamp_EnableRestores(string provider)
    {
        await using var db = await DbAsync(provider);
        const string pw = "correct horse battery";
        var users = db.Get<UserStore>();
        var stamp0 = (await users.AddAsync("dave", Role.Viewer, CarrierScope.All, pw, Ct)).User.SecurityStamp;
        var signIn = db.Get<PasswordSignIn>();
        Assert.Equal(stamp0, (await signIn.VerifyAsync("dave", pw, Ct)).User!.SecurityStamp);

        var (before, disabled) = (await users.DisableAsync("Dave", Ct))!.Value;
        Assert.False(before.Disabled);
        Assert.True(disabled.Disabled);
        Assert.NotEqual(stamp0, disabled.SecurityStamp);
        Assert.Equal(SignInStatus.Disabled, (await signIn.VerifyAsync("dave", pw, Ct)).Status);

        var (_, enabled) = (await users.EnableAsync("dave", Ct))!.Value;
        Assert.Equal(disabled.SecurityStamp, enabled.SecurityStamp);
        Assert.Equal(SignInStatus.Succeeded, (await signIn.VerifyAsync("dave", pw, Ct)).Status);
        Assert.Null(await users.DisableAsync("nobody", Ct));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Session_EndsWhenTheAccountIsDisabledOrItsPasswordChanges(string provider)
    {
        await using var db = await DbAsync(provider);
        const string pw = "correct horse battery";
        var users = db.Get<UserStore>();
        await users.AddAsync("gina", Role.Viewer, CarrierScope.All, pw, Ct);
        var session = (await db.Get<PasswordSignIn>().VerifyAsync("gina", pw, Ct)).User!.SecurityStamp;
        Assert.NotNull(await users.ValidateSessionAsync("gina", session, Ct));

        await users.DisableAsync("gina", Ct);
        Assert.Null(await users.ValidateSessionAsync("gina", session, Ct));
        await users.EnableAsync("gina", Ct);
        Assert.Null(await users.ValidateSessionAsync("gina", session, Ct));

        var again = (await db.Get<PasswordSignIn>().VerifyAsync("gina", pw, Ct)).User!.SecurityStamp;
        Assert.NotNull(await users.ValidateSessionAsync("gina", again, Ct));
        await users.SetPasswordAsync("gina", "another good password", Ct);
        Assert.Null(await users.ValidateSessionAsync("gina", again, Ct));
        Assert.Null(await users.ValidateSessionAsync("nobody", again, Ct));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task ResetAndChangePassword_ChangeTheStampAndTheMustChangeFlag(string provider)
    {
        await using var db = await DbAsync(provider);
        const string pw = "correct horse battery";
        var users = db.Get<UserStore>();
        var stamp0 = (await users.AddAsync("erin", Role.Admin, CarrierScope.All, pw, Ct)).User.SecurityStamp;
        var signIn = db.Get<PasswordSignIn>();

        var reset = (await users.SetPasswordAsync("erin", null, Ct))!;
        Assert.NotEqual(stamp0, reset.User.SecurityStamp);
        Assert.True(reset.User.MustChangePassword);
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("erin", pw, Ct)).Status);

        var wrongCurrent = await signIn.ChangePasswordAsync("erin", "not it", "a brand new password", Ct);
        Assert.Equal(SignInStatus.WrongPassword, wrongCurrent.Status);
        var changed = await signIn.ChangePasswordAsync("erin", reset.OneTimePassword!, "a brand new password", Ct);
        Assert.True(changed.Succeeded);
        Assert.False(changed.User!.MustChangePassword);
        Assert.NotEqual(reset.User.SecurityStamp, changed.User.SecurityStamp);
        Assert.Equal(SignInStatus.WrongPassword, (await signIn.VerifyAsync("erin", reset.OneTimePassword!, Ct)).Status);
        Assert.Equal(SignInStatus.Succeeded, (await signIn.VerifyAsync("erin", "a brand new password", Ct)).Status);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task AnOlderHash_IsReplacedAtTheNextSuccessfulSignIn_KeepingTheStamp(string provider)
    {
        // The same store with a hasher of fewer iterations stands for a hash written by an older version.
        await using var db = await DbAsync(provider);
        await using var old = db.Reopen(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000));
        const string pw = "correct horse battery";
        var stamp = (await old.Get<UserStore>().AddAsync("frank", Role.Viewer, CarrierScope.All, pw, Ct)).User.SecurityStamp;
        const string hashSql = "SELECT password_hash FROM cr_users WHERE name_key = 'frank'";
        var oldHash = (string)(await db.ScalarAsync(hashSql))!;
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, new PasswordHasher<UserAccount>().VerifyHashedPassword(null!, oldHash, pw));

        var result = await db.Get<PasswordSignIn>().VerifyAsync("frank", pw, Ct);
        Assert.True(result.Succeeded);
        Assert.Equal(stamp, result.User!.SecurityStamp);
        var newHash = (string)(await db.ScalarAsync(hashSql))!;
        Assert.NotEqual(oldHash, newHash);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<UserAccount>().VerifyHashedPassword(null!, newHash, pw));
    }

    [Fact]
    public async Task Options_AreValidatedWithTheSettingsName()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite, new() { ["Identity:MaxFailedAttempts"] = "0", ["Identity:LockoutDuration"] = "2.00:00:00" });
        var ex = Assert.Throws<OptionsValidationException>(() => db.Get<IOptions<AccountOptions>>().Value);
        Assert.Contains("Identity:MaxFailedAttempts: must be between 1 and 100", ex.Failures);
        Assert.Contains("Identity:LockoutDuration: must be between 00:00:01 and 1.00:00:00", ex.Failures);
    }
}
