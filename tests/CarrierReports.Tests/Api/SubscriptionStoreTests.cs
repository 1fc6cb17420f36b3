using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Identity;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Api;

/// <summary>The versioned subscription store under the API: entity tags, history, restore, soft delete, scope, audit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionStoreTests(PostgresFixture pg)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly SubscriptionActor Ops = new(new Actor("olga", Role.Operator, CarrierScope.All, AuthMethod.Password, null), "127.0.0.1");

    public static SubscriptionDefinition Definition(string id, string carrier = "544", params string[] to) => new()
    {
        Id = id, Carrier = carrier, TimeZone = "Europe/Berlin", Cadence = "daily@06:00",
        Recipients = new SubscriptionRecipients { To = to.Length > 0 ? [.. to] : ["noc@example.com"] },
    };

    private async Task<IdentityTestDb> NewDbAsync(string provider, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("cr-subs-").FullName;
        return await IdentityTestDb.CreateAsync(pg, provider, new() { ["SubscriptionSources:Folder"] = folder }, s => s.AddSubscriptions());
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task Edits_CheckTheETag_KeepEveryVersion_AndAreAudited(string provider)
    {
        await using var db = await NewDbAsync(provider);
        var store = db.Get<SubscriptionStore>();
        var v1 = await store.CreateAsync(Definition("daily-544"), Ops, Ct);
        Assert.Equal(1, v1.Version);

        var edit = Definition("daily-544", "544", "ops@example.com");
        var v2 = await store.UpdateAsync("daily-544", edit, v1.ETag, Ops, Ct);
        Assert.Equal(2, v2.Version);
        Assert.NotEqual(v1.ETag, v2.ETag);

        // A second editor who read version 1 is refused, not silently overwriting version 2.
        var stale = await Assert.ThrowsAsync<SubscriptionChangeException>(() => store.UpdateAsync("daily-544", Definition("daily-544"), v1.ETag, Ops, Ct));
        Assert.Equal(SubscriptionChangeKind.Stale, stale.Kind);

        var v3 = await store.SetEnabledAsync("daily-544", false, v2.ETag, Ops, Ct);
        Assert.False(v3.Subscription.Enabled);
        var deleted = await store.DeleteAsync("daily-544", v3.ETag, Ops, Ct);
        Assert.Null(await store.FindAsync("daily-544", CarrierScope.All, Ct));

        var history = await db.Get<SubscriptionHistory>().ListAsync("daily-544", Ct);
        Assert.Equal(["create", "update", "disable", "delete"], history.Select(v => v.Action));
        Assert.Equal(["Recipients"], history[1].ChangedFields);
        Assert.Equal(["noc@example.com"], history[1].Before!.Recipients.To);
        Assert.Equal(["ops@example.com"], history[1].Definition.Recipients.To);
        Assert.True(history[3].Deleted);
        Assert.All(history, v => Assert.Equal("olga", v.ChangedBy));

        var restored = await store.RestoreAsync("daily-544", 2, deleted.ETag, Ops, Ct);
        Assert.Equal(5, restored.Version);
        Assert.True(restored.Subscription.Enabled);
        Assert.Equal(["ops@example.com"], (await store.FindAsync("daily-544", CarrierScope.All, Ct))!.Subscription.Definition.Recipients.To);

        var audit = (await db.Get<AuditSearch>().QueryAsync(new AuditFilter(Target: "daily-544"), Ct)).Entries;
        Assert.Equal(["subscriptions.create", "subscriptions.update", "subscriptions.disable", "subscriptions.delete", "subscriptions.restore"],
            audit.OrderBy(e => e.Id).Select(e => e.Action));
        Assert.True((await db.Get<AuditTrail>().VerifyAsync(Ct)).Intact);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task ConcurrentEditsOfOneVersion_ExactlyOneWins_AndTheOtherIsTold(string provider)
    {
        await using var db = await NewDbAsync(provider);
        var store = db.Get<SubscriptionStore>();
        var v1 = await store.CreateAsync(Definition("race"), Ops, Ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await store.UpdateAsync("race", Definition("race", "544", $"r{i}@example.com"), v1.ETag, Ops, Ct);
                return $"r{i}@example.com";
            }
            catch (SubscriptionChangeException ex) when (ex.Kind == SubscriptionChangeKind.Stale)
            {
                return null;
            }
        }));

        var winner = Assert.Single(results, r => r is not null);
        var now = (await store.FindAsync("race", CarrierScope.All, Ct))!;
        Assert.Equal(2, now.Version);
        Assert.Equal([winner!], now.Subscription.Definition.Recipients.To);
    }

    [Theory]
    [InlineData(IdentityTestDb.Postgres)]
    [InlineData(IdentityTestDb.Sqlite)]
    public async Task FileSubscriptions_AreReadOnly_AndOtherCarriersDoNotExist(string provider)
    {
        var folder = Directory.CreateTempSubdirectory("cr-subs-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "fixed.json"), """
            { "Id": "fixed", "Carrier": "545", "TimeZone": "UTC", "Cadence": "hourly", "Recipients": { "To": ["a@example.com"] } }
            """);
        await using var db = await NewDbAsync(provider, folder);
        var store = db.Get<SubscriptionStore>();
        var listed = Assert.Single(await store.ListAsync(Ct));
        Assert.True(listed.ReadOnly);
        var conflict = await Assert.ThrowsAsync<SubscriptionChangeException>(() => store.UpdateAsync("fixed", Definition("fixed"), listed.ETag, Ops, Ct));
        Assert.Equal(SubscriptionChangeKind.Conflict, conflict.Kind);
        Assert.Contains("fixed.json", conflict.Message, StringComparison.Ordinal);

        var scoped = Ops with { Actor = Ops.Actor with { Scope = CarrierScope.Of(["544"]) } };
        Assert.Null(await store.FindAsync("fixed", scoped.Actor.Scope, Ct));
        var outside = await Assert.ThrowsAsync<SubscriptionChangeException>(() => store.CreateAsync(Definition("other", "546"), scoped, Ct));
        Assert.Equal(SubscriptionChangeKind.NotFound, outside.Kind);
        var bad = await Assert.ThrowsAsync<SubscriptionException>(() => store.CreateAsync(new SubscriptionDefinition { Id = "bad", Carrier = "544" }, Ops, Ct));
        Assert.Contains(bad.Errors, e => e.Contains(": TimeZone: ", StringComparison.Ordinal));
    }
}
