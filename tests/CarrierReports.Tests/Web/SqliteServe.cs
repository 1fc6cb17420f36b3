using CarrierReports.Tests.Cluster;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Web;

/// <summary>
/// A real <c>serve</c> process on the embedded SQLite default (no subscriptions, mail to a pickup folder) in its own
/// folder, with its web host on a free loopback port. Enough for everything about the web host that needs no cluster.
/// </summary>
internal sealed class SqliteServe : IDisposable
{
    private SqliteServe(TempFolder dir, NodeProcess node)
    {
        Dir = dir;
        Node = node;
    }

    public TempFolder Dir { get; }

    public NodeProcess Node { get; }

    public static Dictionary<string, string?> Settings(string dir) => new()
    {
        ["Mail:From"] = "reports@carrier.example",
        ["Mail:Transport"] = "Pickup",
        ["Mail:PickupFolder"] = Path.Combine(dir, "mail"),
        ["Archive:Root"] = Path.Combine(dir, "archive"),
        ["SubscriptionSources:Folder"] = Path.Combine(dir, "no-subscription-files"),
        ["Web:Urls"] = "http://127.0.0.1:0",
    };

    public static SqliteServe Start(IReadOnlyDictionary<string, string?>? extra = null, params string[] args)
    {
        var dir = new TempFolder();
        var settings = Settings(dir.Path);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return new SqliteServe(dir, NodeProcess.Start("serve", settings, dir.Path, ["serve", .. args]));
    }

    public void Dispose()
    {
        Node.Dispose();
        Dir.Dispose();
    }
}
