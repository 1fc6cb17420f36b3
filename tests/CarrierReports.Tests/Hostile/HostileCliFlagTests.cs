namespace CarrierReports.Tests.Hostile;

/// <summary>
/// Issue 9, "Also": bad values for the flags of every command. Each is refused with exit 2 and one <c>error:</c> line
/// naming the flag (or argument) and the reason, and nothing stored changes. Paths are written with placeholders
/// (<c>{file}</c>: an existing file, <c>{dir}</c>: an existing folder, <c>{entry}</c>: the stored archive entry).
/// </summary>
public sealed class HostileCliFlagTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    private const string Report = "report --carrier 1 --from 2026-03-01 --to 2026-03-02 --tz UTC --out {dir}/out";

    /// <summary>The command, the flag to replace (or add) and its value, and what the error line must contain.</summary>
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // report
        { Report, "--carrier", "", "--carrier: is required" },
        { Report, "--tz", "", "--tz: is required" },
        { Report, "--tz", "Europe/Lon\ndon", "--tz: 'Europe/Lon\\ndon' is not a known IANA time zone" },
        { Report, "--tz", "UTC\u001b[2J", "--tz: 'UTC\\u001b[2J' is not a known IANA time zone" },
        { Report, "--tz", "../../../etc/passwd", "--tz: '../../../etc/passwd' is not a known IANA time zone" },
        { Report, "--bucket", "minute", "--bucket: 'minute' is not a bucket" },
        { Report, "--bucket", "", "--bucket: " },
        { Report, "--format", "exe", "--format: 'exe' is not a format" },
        { Report, "--from", "99999999-01-01", "--from: '99999999-01-01' is not a time" },
        { Report, "--from", "2026-02-30", "--from: '2026-02-30' is not a time" },
        { Report, "--to", "2026-03-01T25:00", "--to: '2026-03-01T25:00' is not a time" },
        { Report, "--to", "2026-02-01", "--to: '2026-02-01'" },
        { "report --carrier 1 --tz UTC", "--range", "now-99999999999d..now", "--range: " },
        { "report --carrier 1 --tz UTC", "--range", "previous-day; rm -rf /", "--range: 'previous-day; rm -rf /' is not a range" },
        { "report --carrier 1 --tz UTC --range previous-day", "--as-of", "yesterday-ish", "--as-of: 'yesterday-ish' is not a time" },
        { "report --carrier 1 --tz UTC --range previous-day", "--as-of", "99999-01-01", "--as-of: '99999-01-01' is not a time" },
        { Report, "--out", "{file}", "--out: " },
        { Report, "--limit", "5", "--limit: is not an option of 'report'" },
        // demo: refused before it creates its store or any output
        { "demo --out {dir}/demo --data {dir}/demo.db", "--tz", "Mars/Olympus_Mons", "--tz: 'Mars/Olympus_Mons' is not a known IANA time zone" },
        { "demo --out {dir}/demo --data {dir}/demo.db", "--as-of", "soon", "--as-of: 'soon' is not a time" },
        // run, backfill
        { "run", "--subscription", "", "--subscription: is required" },
        { "run", "--subscription", "acme-nope", "acme-nope" },
        { "run --subscription acme-daily", "--as-of", "not-a-time", "--as-of: 'not-a-time' is not a time" },
        { "backfill --subscription acme-daily --from 2026-03-02", "--to", "2026-03-01", "--to: '2026-03-01'" },
        { "backfill --subscription acme-daily --to 2026-03-02", "--from", "garbage", "--from: 'garbage' is not a time" },
        { "backfill --subscription acme-daily --from 1900-01-01", "--to", "2026-01-01", "--to: the cadence 'daily@06:00' fires 46,02" },
        { "backfill --subscription acme-daily --from 1900-01-01", "--to", "9999-12-31", "--to: the cadence 'daily@06:00' fires" },
        // runs
        { "runs list", "--limit", "0", "--limit: '0' is not a number between 1 and 100000" },
        { "runs list", "--limit", "99999999999999999999", "--limit: '99999999999999999999' is not a number between 1 and 100000" },
        { "runs list", "--limit", "-5", "--limit: " },
        { "runs list", "--limit", "ten", "--limit: 'ten' is not a number between 1 and 100000" },
        { "runs list", "--status", "bogus", "--status: 'bogus' is not a status" },
        { "runs list", "--status", "", "--status: '' is not a status" },
        { "runs show", "run-id", "'; DROP TABLE cr_runs; --", "run-id: no run has id ''; DROP TABLE cr_runs; --'" },
        // subscriptions
        { "subscriptions show", "id", "acme-nope", "id: 'acme-nope' is not a subscription" },
        { "subscriptions enable", "id", "../../etc", "id: " },
        { "subscriptions delete", "id", "x\u001b[31m", "id: " },
        { "subscriptions validate", "--file", "{dir}/nope.json", "--file: '" },
        { "subscriptions validate", "--file", "{dir}", "--file: '" },
        { "subscriptions validate", "--file", "", "--file: " },
        { "subscriptions save", "--file", "{dir}", "--file: '" },
        { "subscriptions save", "--file", "", "--file: is required" },
        // archive
        { "archive list", "--from", "2026-13-01", "--from: '2026-13-01'" },
        { "archive get nope", "--out", "{dir}/get", "id: " },
        { "archive get {entry}", "--out", "{file}", "--out: " },
        { "archive get {entry}", "--out", "", "--out: is required" },
        { "archive purge --dry-run", "--older-than", "0", "--older-than: '0' is not a number of days in 1..36500" },
        { "archive purge --dry-run", "--older-than", "99999999999", "--older-than: '99999999999' is not a number of days in 1..36500" },
        { "archive purge --dry-run --older-than 10", "--by", "mtime", "--by: 'mtime' is not period-end or stored-at" },
        { "archive", "sub-command", "frobnicate", "archive: 'frobnicate' is not a sub-command" },
        // --config, on any command
        { "runs list", "--config", "{dir}/missing.json", "--config: " },
        { "runs list", "--config", "{dir}", "--config: " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadFlag_IsRefused_NamingIt_AndNothingStoredChanges(string command, string flag, string value, string expected)
    {
        var file = world.WriteScratch("a-file.txt", "not a folder");
        string Fill(string s) => s.Replace("{dir}", world.Scratch, StringComparison.Ordinal)
            .Replace("{file}", file, StringComparison.Ordinal).Replace("{entry}", world.EntryId, StringComparison.Ordinal);
        var args = command.Split(' ').Select(Fill).ToList();
        var i = args.IndexOf(flag);
        if (i >= 0)
        {
            args[i + 1] = Fill(value);
        }
        else if (flag.StartsWith("--", StringComparison.Ordinal))
        {
            args.AddRange([flag, Fill(value)]);
        }
        else
        {
            // A positional argument (or sub-command) right after the command words.
            args.Insert(command.Split(' ').TakeWhile(w => !w.StartsWith('-')).Count(), Fill(value));
        }

        var before = world.Fingerprint();

        var result = await world.CliAsync(null, [.. args]);

        HostileWorld.AssertRefused(result, Fill(expected));
        Assert.Equal(before, world.Fingerprint());
        Assert.False(Directory.Exists(Path.Combine(world.Scratch, "demo")), "demo wrote output before refusing");
        Assert.False(File.Exists(Path.Combine(world.Scratch, "demo.db")), "demo created its store before refusing");
    }
}
