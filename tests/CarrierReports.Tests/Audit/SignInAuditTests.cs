using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Audit;

/// <summary>Sign-ins and rejected keys are written to the trail with who claimed to be whom and why it failed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SignInAuditTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task SignInsAndRejectedKeys_AreRecordedWithTheirOutcome()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite);
        const string pw = "correct horse battery";
        await db.Get<UserStore>().AddAsync("hank", Role.Operator, CarrierScope.Parse("544", "c"), pw, Ct);
        var signIn = db.Get<PasswordSignIn>();
        var trail = db.Get<AuditTrail>();
        await trail.AppendAsync(SignInAudit.SignIn("hank", await signIn.VerifyAsync("hank", pw, Ct), "10.0.0.7"), Ct);
        await trail.AppendAsync(SignInAudit.SignIn("hank", await signIn.VerifyAsync("hank", "nope", Ct), "10.0.0.7"), Ct);
        await trail.AppendAsync(SignInAudit.SignIn("root", await signIn.VerifyAsync("root", pw, Ct), "10.0.0.8"), Ct);
        var key = await db.Get<ApiKeyStore>().CreateAsync("ci", Role.Viewer, CarrierScope.All, null, "root", Ct);
        await db.Get<ApiKeyStore>().RevokeAsync(key.Key.Id, "root", Ct);
        await trail.AppendAsync(SignInAudit.KeyRejected(await db.Get<ApiKeyStore>().VerifyAsync(key.Token, Ct), "10.0.0.9"), Ct);

        var rows = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(), Ct)).Entries;
        Assert.Equal(
            [
                ("hank", "operator", "sign-in", "success", "10.0.0.7"),
                ("hank", "operator", "sign-in", "wrong-password", "10.0.0.7"),
                ("root", "none", "sign-in", "unknown-user", "10.0.0.8"),
                ("ci", "viewer", "api-key.rejected", "revoked", "10.0.0.9"),
            ],
            rows.Select(e => (e.Actor, e.Role, e.Action, e.Outcome, e.ClientAddress!)));
        Assert.Equal(("api-key", key.Key.Id), (rows[3].AuthMethod, rows[3].AuthId));
        Assert.True((await trail.VerifyAsync(Ct)).Intact);
    }
}
