using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Audit;

/// <summary>The hash chain holds, and an edited, deleted or inserted row is found and named, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditTrailTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Actor Alice = new("alice", Role.Operator, CarrierScope.Parse("544", "c"), AuthMethod.Password, null);
    private static readonly Actor Key = new("ci", Role.Admin, CarrierScope.All, AuthMethod.ApiKey, "0123456789abcdef");

    private static async Task<IReadOnlyList<AuditEntry>> FillAsync(IdentityTestDb db, int rows)
    {
        var trail = db.Get<AuditTrail>();
        var written = new List<AuditEntry>();
        for (var i = 1; i <= rows; i++)
        {
            db.Clock.Advance(TimeSpan.FromMinutes(1));
            var actor = i % 2 == 0 ? Key : Alice;
            written.Add(await trail.AppendAsync(new AuditRecord(actor, i % 3 == 0 ? "subscriptions.update" : "sign-in", $"sub-{i}",
                Before: AuditRecord.Json(new { enabled = false, n = i }), After: AuditRecord.Json(new { enabled = true, n = i }),
                ClientAddress: "127.0.0.1"), Ct));
        }

        return written;
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Chain_OfAppendedRows_Verifies(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var empty = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.True(empty.Intact);
        Assert.Equal(0, empty.Rows);

        var written = await FillAsync(db, 10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), written.Select(e => e.Id));
        Assert.Equal(AuditHash.Genesis, written[0].PrevHash);
        Assert.All(written.Skip(1), (e, i) => Assert.Equal(written[i].Hash, e.PrevHash));

        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(10, result.Rows);
        Assert.Equal(written[^1].Hash, result.HeadHash);

        // What is read back is what was hashed: the same row, field by field.
        var read = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(Limit: 1000), Ct)).Entries;
        Assert.Equal(written, read);
        Assert.Equal("api-key", read[1].AuthMethod);
        Assert.Equal("0123456789abcdef", read[1].AuthId);
        Assert.Equal("operator", read[0].Role);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres, "before_json")]
    [InlineData(IdentityTestDb.Postgres, "after_json")]
    [InlineData(IdentityTestDb.Sqlite, "after_json")]
    [InlineData(IdentityTestDb.Postgres, "actor")]
    public async Task EditedRow_IsTheFirstBadRow(string provider, string column)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        await FillAsync(db, 8);
        Assert.Equal(1, await db.ExecuteAsync($"UPDATE cr_audit SET {column} = @v WHERE id = 5", ("v", "{\"enabled\":false,\"n\":5}x")));

        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBadId);
        Assert.Equal(4, result.Rows);
        Assert.Contains("edited", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task DeletedMiddleRow_BreaksTheChainAtTheNextRow(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        await FillAsync(db, 8);
        Assert.Equal(1, await db.ExecuteAsync("DELETE FROM cr_audit WHERE id = 4"));

        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.Equal(5, result.FirstBadId);
        Assert.Contains("deleted or inserted", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task ForgedRows_WithTheirOwnHashRecomputed_AreFound(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var written = await FillAsync(db, 6);

        // A row put in the place of row 3 (its hash recomputed over a wrong previous hash), and one appended at the
        // end that links to row 5 instead of row 6: each is named as the first bad row once the one before is fixed.
        var forged = written[2] with { Actor = "mallory", PrevHash = written[0].Hash };
        forged = forged with { Hash = AuditHash.Compute(forged) };
        await db.ExecuteAsync("DELETE FROM cr_audit WHERE id = 3");
        await InsertAsync(db, forged);
        Assert.Equal(3, (await db.Get<AuditTrail>().VerifyAsync(Ct)).FirstBadId);

        // Linked correctly to row 2, the forged row 3 still breaks the link from row 4.
        var linked = written[2] with { Actor = "mallory" };
        await db.ExecuteAsync("DELETE FROM cr_audit WHERE id = 3");
        await InsertAsync(db, linked with { Hash = AuditHash.Compute(linked) });
        Assert.Equal(4, (await db.Get<AuditTrail>().VerifyAsync(Ct)).FirstBadId);

        await db.ExecuteAsync("DELETE FROM cr_audit WHERE id = 3");
        await InsertAsync(db, written[2]);
        Assert.True((await db.Get<AuditTrail>().VerifyAsync(Ct)).Intact);
        var tail = written[5] with { Id = 7, Action = "users.add", PrevHash = written[4].Hash };
        await InsertAsync(db, tail with { Hash = AuditHash.Compute(tail) });
        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.Equal(7, result.FirstBadId);
        Assert.Equal(6, result.Rows);
    }

    [Fact]
    public async Task ConcurrentAppends_OnPostgres_KeepOneChain()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Postgres);
        // Two independent sets of services stand for two nodes: only the database serialises them.
        await using var other = db.Reopen();
        async Task Writer(IdentityTestDb node, string name)
        {
            var trail = node.Get<AuditTrail>();
            for (var i = 0; i < 50; i++)
            {
                await trail.AppendAsync(new AuditRecord(Alice, "runs.retry", $"{name}-{i}"), Ct);
            }
        }

        await Task.WhenAll(Task.Run(() => Writer(db, "a")), Task.Run(() => Writer(other, "b")));

        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(100, result.Rows);
        Assert.Equal(100L, Convert.ToInt64(await db.ScalarAsync("SELECT count(DISTINCT prev_hash) FROM cr_audit"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ConcurrentAppends_OnSqlite_KeepOneChain()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Sqlite);
        await using var other = db.Reopen();
        var tasks = new[] { db, other }.Select(node => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await node.Get<AuditTrail>().AppendAsync(new AuditRecord(Key, "runs.retry", $"t-{i}"), Ct);
            }
        }));
        await Task.WhenAll(tasks);

        var result = await db.Get<AuditTrail>().VerifyAsync(Ct);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(100, result.Rows);
    }

    private static Task<int> InsertAsync(IdentityTestDb db, AuditEntry e) => db.ExecuteAsync(
        $"INSERT INTO cr_audit ({AuditTrail.Columns}) VALUES (@id, @time, @actor, @method, @authId, @role, @action, @target, @before, @after, @client, @outcome, @prev, @hash)",
        ("id", e.Id), ("time", e.Time), ("actor", e.Actor), ("method", e.AuthMethod), ("authId", e.AuthId), ("role", e.Role),
        ("action", e.Action), ("target", e.Target), ("before", e.Before), ("after", e.After), ("client", e.ClientAddress),
        ("outcome", e.Outcome), ("prev", e.PrevHash), ("hash", e.Hash));
}
