using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Audit;

/// <summary>Filters, keyset pages and the CSV export of the audit trail.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditSearchTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task FillAsync(IdentityTestDb db)
    {
        var trail = db.Get<AuditTrail>();
        var alice = new Actor("alice", Role.Operator, CarrierScope.All, AuthMethod.Password, null);
        var bob = new Actor("bob", Role.Auditor, CarrierScope.All, AuthMethod.Oidc, "sub-42");
        for (var i = 1; i <= 30; i++)
        {
            db.Clock.Advance(TimeSpan.FromHours(1));
            var action = (i % 3) switch { 0 => "users.add", 1 => "users.disable", _ => "archive.download" };
            await trail.AppendAsync(new AuditRecord(i % 2 == 0 ? bob : alice, action, $"t{i}"), Ct);
        }
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Query_FiltersAndPagesWithoutGapsOrRepeats(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var t0 = db.Clock.GetUtcNow();
        await FillAsync(db);
        var search = db.Get<AuditSearch>();

        var bobs = (await search.QueryAsync(new AuditFilter(Actor: "bob"), Ct)).Entries;
        Assert.Equal(15, bobs.Count);
        Assert.All(bobs, e => Assert.Equal(("oidc", "sub-42"), (e.AuthMethod, e.AuthId)));
        var users = (await search.QueryAsync(new AuditFilter(Action: "users.*"), Ct)).Entries;
        Assert.Equal(20, users.Count);
        Assert.Equal(10, (await search.QueryAsync(new AuditFilter(Action: "users.add"), Ct)).Entries.Count);
        Assert.Equal(7, Assert.Single((await search.QueryAsync(new AuditFilter(Target: "t7"), Ct)).Entries).Id);

        // Hours 5..9 after t0: rows 5, 6, 7, 8 (the end is exclusive).
        var range = await search.QueryAsync(new AuditFilter(From: t0.AddHours(5), To: t0.AddHours(9)), Ct);
        Assert.Equal([5L, 6, 7, 8], range.Entries.Select(e => e.Id));

        foreach (var newestFirst in new[] { false, true })
        {
            var ids = new List<long>();
            var filter = new AuditFilter(Action: "users.*", Limit: 6, NewestFirst: newestFirst);
            var pages = 0;
            while (true)
            {
                var page = await search.QueryAsync(filter, Ct);
                pages++;
                ids.AddRange(page.Entries.Select(e => e.Id));
                if (page.Next is null)
                {
                    break;
                }

                filter = filter with { After = page.Next };
            }

            Assert.Equal(4, pages);
            var expected = users.Select(e => e.Id);
            Assert.Equal(newestFirst ? expected.Reverse() : expected, ids);
        }

        var bad = await Assert.ThrowsAsync<InputException>(() => search.QueryAsync(new AuditFilter(Limit: 0), Ct));
        Assert.Equal("limit", bad.Field);
    }

    [Fact]
    public async Task Export_WritesEveryMatchingRowAsCsv()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Postgres);
        await FillAsync(db);
        var writer = new StringWriter();
        var rows = await AuditCsv.WriteAsync(writer, db.Get<AuditSearch>().ReadAllAsync(new AuditFilter(Actor: "alice"), Ct), Ct);

        Assert.Equal(15, rows);
        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header, lines[0]);
        Assert.Equal(16, lines.Length);
        Assert.StartsWith("1,2026-11-30T11:00:00.000000Z,alice,password,,operator,users.disable,t1,,,,success,0000", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("plain", "plain")]
    [InlineData(null, "")]
    public void Cells_ThatASpreadsheetWouldRun_AreGuarded(string? value, string cell) =>
        Assert.Equal(cell, AuditCsv.Cell(value));
}
