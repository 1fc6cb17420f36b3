using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Storage;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Audit;

/// <summary>A change and its audit row commit together: no audited change without its row, no row without its change.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditedChangeTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Actor Admin = new("root", Role.Admin, CarrierScope.All, AuthMethod.Cli, "root");

    private static AuditChange<T> Row<T>(string action)
        where T : class => (before, after) => new AuditRecord(Admin, action, after.ToString(), AuditRecord.Json(before), AuditRecord.Json(after));

    private static AuditChange<T> Failing<T>()
        where T : class => (_, _) => throw new InvalidOperationException("audit row could not be built");

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task UserChanges_AreUndone_WhenTheirAuditRowFails(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var users = db.Get<UserStore>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => users.AddAsync("ivy", Role.Viewer, CarrierScope.All, null, Failing<UserAccount>(), Ct));
        Assert.Null(await users.FindAsync("ivy", Ct));

        await users.AddAsync("ivy", Role.Viewer, CarrierScope.All, null, Row<UserAccount>("users.add"), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => users.DisableAsync("ivy", Failing<UserAccount>(), Ct));
        Assert.False((await users.FindAsync("ivy", Ct))!.Disabled);
        var stamp = (await users.FindAsync("ivy", Ct))!.SecurityStamp;
        await Assert.ThrowsAsync<InvalidOperationException>(() => users.SetPasswordAsync("ivy", null, Failing<UserAccount>(), Ct));
        Assert.Equal(stamp, (await users.FindAsync("ivy", Ct))!.SecurityStamp);

        await users.DisableAsync("ivy", Row<UserAccount>("users.disable"), Ct);
        var rows = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(), Ct)).Entries;
        Assert.Equal(["users.add", "users.disable"], rows.Select(e => e.Action));
        Assert.Contains("\"disabled\":true", rows[1].After, StringComparison.Ordinal);
        Assert.True((await db.Get<AuditTrail>().VerifyAsync(Ct)).Intact);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task KeyChanges_AreUndone_WhenTheirAuditRowFails(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var keys = db.Get<ApiKeyStore>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => keys.CreateAsync("ci", Role.Viewer, CarrierScope.All, null, "root", Failing<ApiKey>(), Ct));
        Assert.Empty(await keys.ListAsync(Ct));

        var key = await keys.CreateAsync("ci", Role.Viewer, CarrierScope.All, null, "root", Row<ApiKey>("keys.create"), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => keys.RevokeAsync(key.Key.Id, "root", Failing<ApiKey>(), Ct));
        Assert.True((await keys.VerifyAsync(key.Token, Ct)).Succeeded);

        await keys.RevokeAsync(key.Key.Id, "root", Row<ApiKey>("keys.revoke"), Ct);
        Assert.Equal(KeyStatus.Revoked, (await keys.VerifyAsync(key.Token, Ct)).Status);
        var rows = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(), Ct)).Entries;
        Assert.Equal(["keys.create", "keys.revoke"], rows.Select(e => e.Action));
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task AppendInTheCallersTransaction_OnAFreshDatabase_CreatesTheTableAndCommitsWithTheCaller(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var trail = db.Get<AuditTrail>();
        await using (var connection = await db.Get<ServiceDatabase>().OpenAsync(Ct))
        {
            await using var tx = await connection.BeginTransactionAsync(Ct);
            await trail.AppendAsync(new AuditRecord(Admin, "subscriptions.update", "s1"), connection, tx, Ct);
            await tx.RollbackAsync(Ct);
        }

        await using (var connection = await db.Get<ServiceDatabase>().OpenAsync(Ct))
        {
            await using var tx = await connection.BeginTransactionAsync(Ct);
            await trail.AppendAsync(new AuditRecord(Admin, "subscriptions.update", "s2"), connection, tx, Ct);
            await tx.CommitAsync(Ct);
        }

        var row = Assert.Single((await db.Get<AuditSearch>().QueryAsync(new AuditFilter(), Ct)).Entries);
        Assert.Equal(("s2", 1L), (row.Target, row.Id));
        Assert.True((await trail.VerifyAsync(Ct)).Intact);
    }
}
