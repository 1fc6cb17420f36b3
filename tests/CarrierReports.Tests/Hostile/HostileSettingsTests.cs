namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Issue 9, "Also": bad settings of every section, given to a command that reads that section. Each is refused with
/// exit 2 and one <c>error:</c> line naming the setting path and the reason; nothing stored changes.
/// </summary>
public sealed class HostileSettingsTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    private const string Report = "report --carrier 1 --from 2026-03-01 --to 2026-03-02 --tz UTC --out {dir}/out";

    /// <summary>The command, the setting and its value, what the error must contain.</summary>
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // CdrSource
        { Report, "CdrSource:Provider", "Oracle", "CdrSource:Provider" },
        { Report, "CdrSource:Provider", "", "CdrSource:Provider" },
        { Report, "CdrSource:CommandTimeoutSeconds", "abc", "CdrSource:CommandTimeoutSeconds" },
        { Report, "CdrSource:CommandTimeoutSeconds", "-1", "CdrSource:CommandTimeoutSeconds: -1 is outside 1..86400" },
        { Report, "CdrSource:CommandTimeoutSeconds", "99999999999999999999", "CdrSource:CommandTimeoutSeconds" },
        { Report, "CdrSource:ConnectionString", "Data Source=/nonexistent/cdr.db", "CdrSource:ConnectionString: SQLite file '/nonexistent/cdr.db' does not exist" },
        { Report, "CdrSource:ConnectionString", "this is not=a;connection;string", "CdrSource:ConnectionString" },
        { Report, "CdrSource:ConnectionString", "Data Source={file}", "CdrSource:ConnectionString: cannot open SQLite file" },
        { Report, "CdrSource:Table", "", "CdrSource:Table" },
        { Report, "CdrSource:Table", "cdr\n", "CdrSource:Table: 'cdr\\n' is not a plain identifier" },
        { Report, "CdrSource:Columns:StartTime", "no_such_column", "CdrSource:Columns:StartTime: column 'no_such_column' does not exist" },
        { Report, "CdrSource:Columns:Carrier", "carrier_id; DROP TABLE cdr", "CdrSource:Columns:Carrier: 'carrier_id; DROP TABLE cdr' is not a plain identifier" },
        // Reports (limits)
        { Report, "Reports:MaxRoutes", "0", "Reports:MaxRoutes" },
        { Report, "Reports:MaxRoutes", "lots", "Reports:MaxRoutes" },
        { Report, "Reports:MaxCells", "-1", "Reports:MaxCells" },
        // Database
        { "runs list", "Database:Provider", "MongoDb", "Database:Provider" },
        { "runs list", "Database:ConnectionString", "", "Database:ConnectionString: is empty" },
        // Archive
        { "archive list", "Archive:Root", "", "Archive:Root" },
        // Subscriptions: the folder and the settings section
        { "subscriptions list", "Subscriptions:0:TimeZone", "Mars/Base", "TimeZone: 'Mars/Base' is not a known IANA time zone" },
        { "subscriptions list", "Subscriptions:0:SettleDelay", "forever", "Subscriptions:0:SettleDelay" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadSetting_IsRefused_NamingIt_AndNothingStoredChanges(string command, string key, string value, string expected)
    {
        var file = world.WriteScratch("a-file.txt", "not a folder");
        string Fill(string s) => s.Replace("{dir}", world.Scratch, StringComparison.Ordinal).Replace("{file}", file, StringComparison.Ordinal);
        var overrides = new Dictionary<string, string?> { [key] = Fill(value) };
        if (key.StartsWith("Subscriptions:0:", StringComparison.Ordinal))
        {
            // A whole subscription in the settings section, with the one field spoiled.
            foreach (var (field, good) in HostileWorld.GoodSubscription("from-settings"))
            {
                if (good is string text && !overrides.ContainsKey($"Subscriptions:0:{field}"))
                {
                    overrides[$"Subscriptions:0:{field}"] = text;
                }
            }

            overrides["Subscriptions:0:Formats:0"] = "csv";
            overrides["Subscriptions:0:Recipients:To:0"] = "noc@acme.example";
        }

        var before = world.Fingerprint();

        var result = await world.CliAsync(overrides, [.. command.Split(' ').Select(Fill)]);

        HostileWorld.AssertRefused(result, Fill(expected));
        Assert.Equal(before, world.Fingerprint());
    }
}
