using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Audit;

[Collection(PostgresCollection.Name)]
public sealed class AuditCommandTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Verify_Exit0WhenIntact_Exit1NamingTheFirstBadRowWhenNot(string provider)
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, provider);
        var actor = new Actor("alice", Role.Operator, CarrierScope.All, AuthMethod.Password, null);
        for (var i = 0; i < 5; i++)
        {
            await db.Get<AuditTrail>().AppendAsync(new AuditRecord(actor, "subscriptions.update", $"s{i}", "{\"a\":1}", "{\"a\":2}"), Ct);
        }

        var ok = await CommandTestHost.RunAsync(db.Settings, null, "audit", "verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("audit trail intact: 5 row(s), last hash ", ok.Stdout, StringComparison.Ordinal);

        await db.ExecuteAsync("UPDATE cr_audit SET after_json = '{\"a\":3}' WHERE id = 2");
        var broken = await CommandTestHost.RunAsync(db.Settings, null, "audit", "verify");
        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("audit trail BROKEN at row 2: its content does not match its hash; the row was edited (1 row(s) before it are intact)" + Environment.NewLine, broken.Stdout);
    }

    [Fact]
    public async Task Export_WritesTheFilteredRowsAndIsItselfAudited()
    {
        await using var db = await IdentityTestDb.CreateAsync(pg, IdentityTestDb.Postgres);
        var alice = new Actor("alice", Role.Operator, CarrierScope.All, AuthMethod.Password, null);
        var mallory = new Actor("=cmd|' /C calc'!A0", Role.Viewer, CarrierScope.All, AuthMethod.Password, null);
        await db.Get<AuditTrail>().AppendAsync(new AuditRecord(alice, "sign-in", null, ClientAddress: "10.0.0.1"), Ct);
        await db.Get<AuditTrail>().AppendAsync(new AuditRecord(mallory, "sign-in", null, Outcome: "wrong-password"), Ct);
        await db.Get<AuditTrail>().AppendAsync(new AuditRecord(alice, "subscriptions.update", "s1"), Ct);
        var dir = Directory.CreateTempSubdirectory("carrierreports-audit-");
        try
        {
            var file = Path.Combine(dir.FullName, "audit.csv");
            var r = await CommandTestHost.RunAsync(db.Settings, null, "audit", "export", "--out", file, "--action", "sign-in");
            Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
            Assert.Equal($"2 audit row(s) written to {file}" + Environment.NewLine, r.Stdout);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(3, lines.Length);
            Assert.Contains(",alice,password,,operator,sign-in,,,,10.0.0.1,success,", lines[1], StringComparison.Ordinal);
            Assert.Contains(",'=cmd|' /C calc'!A0,password,,viewer,sign-in,,,,,wrong-password,", lines[2], StringComparison.Ordinal);

            var exported = Assert.Single((await db.Get<AuditSearch>().QueryAsync(new AuditFilter(Action: "audit.export"), Ct)).Entries);
            Assert.Equal((Environment.UserName, "cli", file), (exported.Actor, exported.AuthMethod, exported.Target));
            Assert.Contains("\"rows\":2", exported.After, StringComparison.Ordinal);
            Assert.True((await db.Get<AuditTrail>().VerifyAsync(Ct)).Intact);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
