using System.Text;
using System.Text.Json;
using CarrierReports.Tests.Support;
using CsCheck;

namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Issue 9, "Also": hostile subscription files for <c>subscriptions validate --file</c> and <c>subscriptions save
/// --file</c>. Each is refused with exit 2 and the listed number of <c>error:</c> lines naming the field and the
/// reason; the database subscription saved at start is untouched.
/// </summary>
public sealed class HostileSubscriptionFileTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    /// <summary>A good subscription with one field replaced by raw JSON (null <paramref name="json"/>: the field removed).</summary>
    private static string Spoil(string field, string? json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(HostileWorld.GoodSubscription("acme-hostile")))!.AsObject();
        var (parent, name) = field.Split(':') is [var p, var n] ? (node[p]!.AsObject(), n) : (node, field);
        parent.Remove(name);
        if (json is not null)
        {
            parent[name] = System.Text.Json.Nodes.JsonNode.Parse(json);
        }

        return node.ToJsonString();
    }

    /// <summary>The file's content, what one error line must contain, and how many error lines there are.</summary>
    public static TheoryData<string, string, int> Files => new()
    {
        // Not JSON, or not a subscription
        { "", "--file: '{path}': ", 1 },
        { "{", "--file: '{path}': ", 1 },
        { "{\"Id\": \"acme\",}}", "--file: '{path}': ", 1 },
        { "\u00ff\u00fe\u0000garbage", "--file: '{path}': ", 1 },
        { "null", "--file: '{path}' holds no subscription", 1 },
        { "42", "--file: '{path}': ", 1 },
        { "\"a string\"", "--file: '{path}': ", 1 },
        { new string('[', 100_000), "--file: '{path}': ", 1 },
        // Wrong types and unknown fields
        { Spoil("Id", "42"), "--file: '{path}': Id: ", 1 },
        { Spoil("Enabled", "\"yes\""), "--file: '{path}': Enabled: ", 1 },
        { Spoil("SettleDelay", "\"forever\""), "--file: '{path}': SettleDelay: ", 1 },
        { Spoil("MinimumSample", "1e400"), "--file: '{path}': MinimumSample: ", 1 },
        { Spoil("Formats", "\"csv\""), "--file: '{path}': Formats: ", 1 },
        { Spoil("Recipients", "[\"noc@acme.example\"]"), "--file: '{path}': Recipients: ", 1 },
        { Spoil("Colour", "\"red\""), "--file: '{path}': ", 1 },
        { Spoil("Recipients:Reply", "[]"), "--file: '{path}': ", 1 },
        // Nulls where lists or values belong
        { Spoil("Recipients:To", "null"), "Recipients: name at least one address", 1 },
        { Spoil("Recipients:To", "[null]"), "Recipients:To: ", 1 },
        { Spoil("Formats", "[null]"), "Formats: ", 1 },
        { Spoil("Carrier", "null"), "Carrier: is required", 1 },
        { Spoil("TimeZone", "null"), "TimeZone: ", 1 },
        { Spoil("Cadence", "null"), "Cadence: ", 1 },
        // Bad values
        { Spoil("Id", "\"acme\\n\""), "Id: 'acme\\n' must be", 1 },
        { Spoil("Id", "\"../../etc/passwd\""), "Id: '../../etc/passwd' must be", 1 },
        { Spoil("Id", null), "Id: '' must be", 1 },
        { Spoil("Cadence", "\"fortnightly\""), "Cadence: ", 1 },
        { Spoil("Cadence", "\"* * * * * * * *\""), "Cadence: ", 1 },
        { Spoil("TimeZone", "\"Europe/London\\u0000\""), "TimeZone: ", 1 },
        { Spoil("Range", "\"now-99999999999d..now\""), "Range: ", 1 },
        { Spoil("Range", "\"previous-eon\""), "Range: 'previous-eon' is not a range", 1 },
        { Spoil("Bucket", "\"week\""), "Bucket: 'week' is not a bucket", 1 },
        { Spoil("Formats", "[\"exe\"]"), "Formats: 'exe' is not a format", 1 },
        { Spoil("SettleDelay", "\"-00:01:00\""), "SettleDelay: -00:01:00 is outside", 1 },
        { Spoil("AsrWarningThresholdPct", "1e30"), "AsrWarningThresholdPct: ", 1 },
        { Spoil("MinimumSample", "-1"), "MinimumSample: -1 must not be negative", 1 },
        { Spoil("TemplateFolder", "\"/nonexistent/templates\""), "TemplateFolder: folder '/nonexistent/templates' does not exist", 1 },
        { Spoil("Recipients:To", "[]"), "Recipients: name at least one address", 1 },
        { Spoil("Recipients:To", "[\"noc@acme.example\\r\\nBcc: all@evil.example\"]"), "Recipients:To: 'noc@acme.example\\r\\nBcc: all@evil.example' is not an e-mail address", 1 },
        { Spoil("Recipients:To", "[\"not an address\", \"@\", \"a@\"]"), "Recipients:To: 'not an address' is not an e-mail address", 3 },
        { Spoil("Recipients:To", JsonSerializer.Serialize(Enumerable.Range(0, 20).Select(i => $"bad{i}"))), "Recipients:To: 'bad19' is not an e-mail address", 20 },
        { Spoil("Formats", JsonSerializer.Serialize(Enumerable.Repeat("exe", 100_000))), "Formats: ", 1 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_HostileFile_IsRefused_NamingTheField(string content, string expected, int lines)
    {
        var path = world.WriteScratch("validate.json", content);
        var before = world.Fingerprint();

        var result = await world.CliAsync(null, "subscriptions", "validate", "--file", path);

        HostileWorld.AssertRefused(result, expected.Replace("{path}", path, StringComparison.Ordinal), lines: lines);
        Assert.Equal(before, world.Fingerprint());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Save_HostileFile_IsRefused_AndTheDatabaseIsUntouched(string content, string expected, int lines)
    {
        var path = world.WriteScratch("save.json", content);
        var before = world.Fingerprint();

        var result = await world.CliAsync(null, "subscriptions", "save", "--file", path);

        HostileWorld.AssertRefused(result, expected.Replace("{path}", path, StringComparison.Ordinal), lines: lines);
        Assert.Equal(before, world.Fingerprint());
    }

    [Fact]
    public async Task ArrayWithANullElement_IsRefused_NamingTheIndex()
    {
        var path = world.WriteScratch("array.json", $"[{JsonSerializer.Serialize(HostileWorld.GoodSubscription("acme-a"))}, null]");

        var result = await world.CliAsync(null, "subscriptions", "validate", "--file", path);

        HostileWorld.AssertRefused(result, $"--file: '{path}': [1]: is null");
    }

    /// <summary>
    /// Property: random bytes, and random mutations of a valid file, never crash <c>save</c> or <c>validate</c> (exit 0
    /// or 2, never a raw exception) and a refused file never changes what is stored.
    /// </summary>
    [Fact]
    public async Task RandomFiles_NeverCrash_AndRefusedOnesNeverChangeStoredData()
    {
        var good = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(HostileWorld.GoodSubscription("acme-random")));
        var mutated = Gen.Int[0, good.Length - 1].Array[1, 8].Select(Gen.Byte.Array[1, 8], (positions, bytes) =>
        {
            var copy = (byte[])good.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                copy[positions[i]] = bytes[i % bytes.Length];
            }

            return copy;
        });
        // 40 generated files; checked one by one (no shrinking, which would re-run the CLI thousands of times), and a
        // failure shows the file's bytes so it can be replayed.
        var files = Gen.Frequency((1, Gen.Byte.Array[0, 300]), (3, mutated)).Array[40].Single();
        foreach (var (bytes, n) in files.Select((b, i) => (b, i)))
        {
            var path = world.WriteScratch($"random-{n}.json", bytes);
            var before = world.Fingerprint();
            foreach (var verb in new[] { "validate", "save" })
            {
                var result = await world.CliAsync(null, "subscriptions", verb, "--file", path);
                var why = $"{verb} of {Convert.ToHexString(bytes)}: exit {result.ExitCode}: {result.Stderr}";
                Assert.True(result.ExitCode is 0 or 2, why);
                Assert.False(result.Stderr.Contains("Exception", StringComparison.Ordinal), why);
                if (result.ExitCode == 2)
                {
                    Assert.True(result.Stderr.StartsWith("error: ", StringComparison.Ordinal), why);
                    Assert.True(before == world.Fingerprint(), "stored data changed: " + why);
                }
                else if (verb == "save")
                {
                    // A mutation that is still valid (e.g. another id) may be saved; take it out again so later cases start equal.
                    var options = new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
                    var id = JsonDocument.Parse(bytes, options).RootElement.EnumerateObject().First(p => p.Name.Equals("Id", StringComparison.OrdinalIgnoreCase)).Value.GetString()!;
                    Assert.Equal(0, (await world.CliAsync(null, "subscriptions", "delete", id)).ExitCode);
                }
            }
        }
    }
}
