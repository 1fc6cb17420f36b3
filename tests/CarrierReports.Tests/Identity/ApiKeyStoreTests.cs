using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Identity;

/// <summary>API keys: shown once, stored as a hash, last use recorded, expiry and revocation, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiKeyStoreTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Lifecycle_CreateVerifyRecordUseExpire(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var keys = db.Get<ApiKeyStore>();
        var t0 = db.Clock.GetUtcNow();
        var created = await keys.CreateAsync("billing export", Role.Viewer, CarrierScope.Parse("544", "--carriers"), t0.AddDays(30), "root", Ct);

        Assert.Matches("^crk_[0-9a-f]{16}_[0-9a-f]{64}$", created.Token);
        Assert.StartsWith($"crk_{created.Key.Id}_", created.Token, StringComparison.Ordinal);
        var secret = created.Token[(4 + 16 + 1)..];
        var row = (string)(await db.ScalarAsync("SELECT id || name || role || carriers || secret_sha256 || created_by FROM cr_api_keys"))!;
        Assert.DoesNotContain(secret, row, StringComparison.Ordinal);

        db.Clock.Advance(TimeSpan.FromHours(1));
        var ok = await keys.VerifyAsync(created.Token, Ct);
        Assert.Equal(KeyStatus.Succeeded, ok.Status);
        Assert.Equal(Role.Viewer, ok.Key!.Role);
        Assert.True(ok.Key.Scope.Allows("544"));
        Assert.False(ok.Key.Scope.Allows("545"));
        var listed = Assert.Single(await keys.ListAsync(Ct));
        Assert.Equal(t0.AddHours(1), listed.LastUsedAt);

        // Within the precision (1 minute) a use is not written again; after it, it is.
        db.Clock.Advance(TimeSpan.FromSeconds(30));
        await keys.VerifyAsync(created.Token, Ct);
        Assert.Equal(t0.AddHours(1), (await keys.ListAsync(Ct))[0].LastUsedAt);
        db.Clock.Advance(TimeSpan.FromMinutes(5));
        await keys.VerifyAsync(created.Token, Ct);
        Assert.Equal(db.Clock.GetUtcNow(), (await keys.ListAsync(Ct))[0].LastUsedAt);

        db.Clock.SetUtcNow(t0.AddDays(30));
        var expired = await keys.VerifyAsync(created.Token, Ct);
        Assert.Equal(KeyStatus.Expired, expired.Status);
        Assert.Equal("expired", expired.Reason);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task WrongMalformedUnknownAndRevokedKeys_AreRejectedWithTheirReason(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var keys = db.Get<ApiKeyStore>();
        var created = await keys.CreateAsync("ci", Role.Operator, CarrierScope.All, null, "root", Ct);
        var token = created.Token;
        var last = token[^1] == '0' ? '1' : '0';

        Assert.Equal(KeyStatus.WrongSecret, (await keys.VerifyAsync(token[..^1] + last, Ct)).Status);
        Assert.Equal(KeyStatus.Malformed, (await keys.VerifyAsync("Bearer " + token, Ct)).Status);
        Assert.Equal(KeyStatus.Malformed, (await keys.VerifyAsync(token[..^1], Ct)).Status);
        Assert.Equal(KeyStatus.UnknownKey, (await keys.VerifyAsync("crk_0123456789abcdef" + token[20..], Ct)).Status);
        Assert.Equal(KeyStatus.Succeeded, (await keys.VerifyAsync(token, Ct)).Status);

        var (before, after) = (await keys.RevokeAsync(created.Key.Id, "root", Ct))!.Value;
        Assert.Null(before.RevokedAt);
        Assert.Equal(db.Clock.GetUtcNow(), after.RevokedAt);
        Assert.Equal("root", after.RevokedBy);
        var revoked = await keys.VerifyAsync(token, Ct);
        Assert.Equal(KeyStatus.Revoked, revoked.Status);
        Assert.Equal("revoked", revoked.Reason);
        Assert.Null(await keys.RevokeAsync("0123456789abcdef", "root", Ct));
    }

    [Fact]
    public async Task Create_RefusesAnExpiryInThePastAndAnEmptyName()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite);
        var keys = db.Get<ApiKeyStore>();
        var past = await Assert.ThrowsAsync<InputException>(() =>
            keys.CreateAsync("old", Role.Viewer, CarrierScope.All, db.Clock.GetUtcNow().AddSeconds(-1), "root", Ct));
        Assert.Equal("expires", past.Field);
        var empty = await Assert.ThrowsAsync<InputException>(() => keys.CreateAsync(" ", Role.Viewer, CarrierScope.All, null, "root", Ct));
        Assert.Equal("name", empty.Field);
        Assert.Empty(await keys.ListAsync(Ct));
    }
}
