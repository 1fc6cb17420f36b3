using CarrierReports.Access;
using System.Text.RegularExpressions;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Identity;

/// <summary>The <c>users</c>, <c>keys</c> and <c>audit</c> commands through System.CommandLine, over real databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class UsersCommandTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<CommandResult> Run(IdentityTestDb db, params string[] args) => CommandTestHost.RunAsync(db.Settings, null, args);

    private static void AssertOk(CommandResult r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");

    [Fact]
    public async Task UsersAdd_PrintsAOneTimePasswordThatSignsIn_AndEveryChangeIsAuditedAsTheOsUser()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Postgres);
        var add = await Run(db, "users", "add", "Alice", "--role", "operator", "--carriers", "544,545");
        AssertOk(add);
        Assert.Contains("user 'Alice' added: operator, carriers 544,545", add.Stdout, StringComparison.Ordinal);
        var otp = OneTimePassword().Match(add.Stdout).Groups[1].Value;
        Assert.True(otp.Length >= 20, add.Stdout);
        var signIn = await db.Get<PasswordSignIn>().VerifyAsync("alice", otp, Ct);
        Assert.True(signIn.Succeeded);
        Assert.True(signIn.User!.MustChangePassword);

        var list = await Run(db, "users", "list");
        AssertOk(list);
        Assert.Matches(@"Alice\s+operator\s+544,545\s+active, must change pw", list.Stdout);
        Assert.DoesNotContain(otp, list.Stdout, StringComparison.Ordinal);

        AssertOk(await Run(db, "users", "disable", "alice"));
        Assert.Equal(SignInStatus.Disabled, (await db.Get<PasswordSignIn>().VerifyAsync("alice", otp, Ct)).Status);
        AssertOk(await Run(db, "users", "enable", "alice"));
        var reset = await Run(db, "users", "reset-password", "alice");
        AssertOk(reset);
        var otp2 = OneTimePassword().Match(reset.Stdout).Groups[1].Value;
        Assert.NotEqual(otp, otp2);
        Assert.Equal(SignInStatus.WrongPassword, (await db.Get<PasswordSignIn>().VerifyAsync("alice", otp, Ct)).Status);
        Assert.True((await db.Get<PasswordSignIn>().VerifyAsync("alice", otp2, Ct)).Succeeded);

        var audit = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(), Ct)).Entries;
        Assert.Equal(["users.add", "users.disable", "users.enable", "users.reset-password"], audit.Select(e => e.Action));
        Assert.All(audit, e =>
        {
            Assert.Equal((Environment.UserName, "cli", Environment.UserName, "admin", "Alice"), (e.Actor, e.AuthMethod, e.AuthId, e.Role, e.Target));
            Assert.DoesNotContain(otp, e.After ?? "", StringComparison.Ordinal);
        });
        Assert.Null(audit[0].Before);
        Assert.Contains("\"role\":\"operator\"", audit[0].After, StringComparison.Ordinal);
        Assert.Contains("\"disabled\":false", audit[1].Before, StringComparison.Ordinal);
        Assert.Contains("\"disabled\":true", audit[1].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAdd_WithPasswordStdin_UsesThatPasswordAndPrintsNone()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite);
        var add = await CommandTestHost.RunAsync(db.Settings, "correct horse battery\n", "users", "add", "bob", "--role", "viewer", "--password-stdin");
        AssertOk(add);
        Assert.DoesNotContain("one-time password", add.Stdout, StringComparison.Ordinal);
        var signIn = await db.Get<PasswordSignIn>().VerifyAsync("bob", "correct horse battery", Ct);
        Assert.True(signIn.Succeeded);
        Assert.False(signIn.User!.MustChangePassword);
    }

    [Fact]
    public async Task Keys_CreatePrintsTheKeyOnce_ListShowsNoSecret_RevokeStopsIt()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Postgres);
        var create = await Run(db, "keys", "create", "billing-export", "--role", "auditor", "--carriers", "544", "--expires", "2099-01-31");
        AssertOk(create);
        var token = Token().Match(create.Stdout).Value;
        Assert.True(ApiKeyStore.TryParse(token, out var id, out var secret), create.Stdout);
        Assert.Contains($"key {id} 'billing-export' created: auditor, carriers 544, expires 2099-01-31 00:00Z", create.Stdout, StringComparison.Ordinal);
        var verified = await db.Get<ApiKeyStore>().VerifyAsync(token, Ct);
        Assert.True(verified.Succeeded);
        Assert.Equal(Role.Auditor, verified.Key!.Role);

        var list = await Run(db, "keys", "list");
        AssertOk(list);
        Assert.Matches($@"{id}\s+billing-export\s+auditor\s+544\s+active", list.Stdout);
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);

        AssertOk(await Run(db, "keys", "revoke", id));
        Assert.Matches($@"{id}\s+billing-export\s+auditor\s+544\s+revoked", (await Run(db, "keys", "list")).Stdout);
        Assert.Equal(KeyStatus.Revoked, (await db.Get<ApiKeyStore>().VerifyAsync(token, Ct)).Status);

        var audit = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "keys.*"), Ct)).Entries;
        Assert.Equal(["keys.create", "keys.revoke"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(id, e.Target));
        Assert.DoesNotContain(secret, (string)(await db.ScalarAsync("SELECT string_agg(coalesce(after_json, ''), '|') FROM cr_audit"))!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --role: 'boss' is not a role; use viewer, operator, auditor or admin", "users", "add", "bob", "--role", "boss")]
    [InlineData("error: --role: is required; use viewer, operator, auditor or admin", "users", "add", "bob")]
    [InlineData("error: --carriers: '1,,2' has an empty carrier; use a comma-separated list such as 544,545", "users", "add", "bob", "--role", "viewer", "--carriers", "1,,2")]
    [InlineData("error: <name>: 'bob smith' is not a user name (1-64 letters, digits, '.', '_', '-', '@')", "users", "add", "bob smith", "--role", "viewer")]
    [InlineData("error: --password-stdin: standard input has no password on its first line", "users", "add", "bob", "--role", "viewer", "--password-stdin")]
    [InlineData("error: <name>: there is no user 'nobody'", "users", "disable", "nobody")]
    [InlineData("error: <name>: there is no user 'nobody'", "users", "reset-password", "nobody")]
    [InlineData("error: --expires: 'tomorrow' is not a date or instant (e.g. 2027-01-31 or 2027-01-31T12:00:00Z)", "keys", "create", "k", "--role", "viewer", "--expires", "tomorrow")]
    [InlineData("error: --expires: 2001-01-01T00:00:00.0000000+00:00 is not in the future", "keys", "create", "k", "--role", "viewer", "--expires", "2001-01-01")]
    [InlineData("error: <id>: there is no key 'ffff'", "keys", "revoke", "ffff")]
    [InlineData("error: --out: is required; the CSV file to write", "audit", "export")]
    [InlineData("error: --to: 2026-01-01T00:00:00.0000000+00:00 is not after --from (2026-02-01T00:00:00.0000000+00:00)", "audit", "export", "--out", "x.csv", "--from", "2026-02-01", "--to", "2026-01-01")]
    public async Task BadInput_IsOneLineNamingTheOption_Exit2(string expected, params string[] args)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite);
        var r = await Run(db, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected + Environment.NewLine, r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [GeneratedRegex(@"one-time password \(shown only now; to be changed at first sign-in\): (\S+)")]
    private static partial Regex OneTimePassword();

    [GeneratedRegex(@"crk_[0-9a-f]{16}_[0-9a-f]{64}")]
    private static partial Regex Token();
}
