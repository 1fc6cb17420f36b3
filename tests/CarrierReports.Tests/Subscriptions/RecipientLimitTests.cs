using System.Text.Json;
using CarrierReports.Subscriptions;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Subscriptions;

/// <summary>Mail:MaxRecipients bounds To + Cc + Bcc of one subscription, wherever subscriptions are validated.</summary>
public sealed class RecipientLimitTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Settings(string? max) => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={_dir.PathOf("service.db")}",
        ["SubscriptionSources:Folder"] = _dir.PathOf("subscriptions"),
        ["Mail:From"] = "reports@carrier.example",
        ["Mail:MaxRecipients"] = max,
    };

    private string WriteSubscription(int to, int cc, int bcc)
    {
        static string[] Addresses(string kind, int n) => [.. Enumerable.Range(1, n).Select(i => $"{kind}{i}@acme.example")];
        var path = _dir.PathOf("many.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            Id = "acme-many", Carrier = "1", Range = "previous-day", TimeZone = "Europe/London", Bucket = "hour", Cadence = "daily@06:00",
            Formats = new[] { "csv" },
            Recipients = new { To = Addresses("to", to), Cc = Addresses("cc", cc), Bcc = Addresses("bcc", bcc) },
        }));
        return path;
    }

    [Fact]
    public async Task MoreThanTheLimit_IsInvalid_NamingSubscriptionRecipientsLimitAndSetting()
    {
        var file = WriteSubscription(2, 1, 1);
        var result = await CliRunner.RunAsync(Settings("3"), "subscriptions", "validate", "--file", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: subscription 'acme-many' ({file}): Recipients: 4 addresses in To, Cc and Bcc are more than the limit of 3 (setting Mail:MaxRecipients)",
            result.Stderr.Trim());
        var saved = await CliRunner.RunAsync(Settings("3"), "subscriptions", "save", "--file", file);
        Assert.Equal(2, saved.ExitCode);
        Assert.Contains("Recipients: 4 addresses", saved.Stderr, StringComparison.Ordinal);

        var atLimit = await CliRunner.RunAsync(Settings("4"), "subscriptions", "validate", "--file", file);
        Assert.True(atLimit.ExitCode == 0, atLimit.Stderr);
    }

    [Fact]
    public void Default_Is100()
    {
        var d = JsonSerializer.Deserialize<SubscriptionDefinition>(File.ReadAllText(WriteSubscription(99, 1, 1)), SubscriptionCatalog.Json)!;
        var errors = Assert.Throws<SubscriptionException>(() => Subscription.Create(d, "test")).Errors;
        Assert.Contains("subscription 'acme-many' (test): Recipients: 101 addresses in To, Cc and Bcc are more than the limit of 100 (setting Mail:MaxRecipients)", errors);
        Assert.Equal("acme-many", Subscription.Create(d, "test", 101).Id);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public async Task OutOfRangeSetting_NamesTheSetting(string value)
    {
        var result = await CliRunner.RunAsync(Settings(value), "subscriptions", "validate", "--file", WriteSubscription(1, 0, 0));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Mail:MaxRecipients", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(value, result.Stderr, StringComparison.Ordinal);
    }
}
