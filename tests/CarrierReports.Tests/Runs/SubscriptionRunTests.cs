using System.Security.Cryptography;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using MimeKit;
using Npgsql;

namespace CarrierReports.Tests.Runs;

/// <summary>
/// Subscriptions run end to end through the real command line: CDRs and the ledger in a private PostgreSQL, mail to a
/// real SMTP server on loopback, the archive in a temp folder.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubscriptionRunTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private string _cdr = "";
    private string _service = "";

    public async Task InitializeAsync()
    {
        _cdr = await pg.NewDatabaseAsync("runs_cdr");
        await CdrTable.Default.LoadPostgresAsync(_cdr, CdrTestData.Generate(perHour: 4));
        _service = await pg.NewDatabaseAsync("runs_service");
        var migrate = await CliRunner.RunAsync(Settings(25), "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private Dictionary<string, string?> Settings(int smtpPort, string id = "acme-daily", string carrier = "1", string? templates = null, bool skipIfEmpty = false)
    {
        var s = CliRunner.Postgres(_cdr);
        s["Database:Provider"] = "Postgres";
        s["Database:ConnectionString"] = _service;
        s["SubscriptionSources:Folder"] = Path.Combine(_dir.Path, "no-such-folder");
        s["Archive:Root"] = Path.Combine(_dir.Path, "archive");
        s["Mail:Transport"] = "Smtp";
        s["Mail:Host"] = "127.0.0.1";
        s["Mail:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Mail:From"] = "Carrier Reports <reports@carrier.example>";
        s["Mail:MaxAttempts"] = "2";
        s["Mail:InitialBackoff"] = "00:00:00.200";
        s["Carriers:1"] = "Acme Telecom";
        const string p = "Subscriptions:0:";
        s[p + "Id"] = id;
        s[p + "Name"] = "Acme daily hourly ASR";
        s[p + "Carrier"] = carrier;
        s[p + "Range"] = "previous-day";
        s[p + "TimeZone"] = "Europe/London";
        s[p + "Bucket"] = "hour";
        s[p + "Cadence"] = "daily@06:00";
        s[p + "Formats:0"] = "pdf";
        s[p + "Formats:1"] = "xlsx";
        s[p + "Formats:2"] = "csv";
        s[p + "Recipients:To:0"] = "noc@acme.example";
        s[p + "Recipients:To:1"] = "refuse-me@acme.example";
        s[p + "Recipients:Cc:0"] = "manager@acme.example";
        s[p + "Recipients:Bcc:0"] = "audit@carrier.example";
        s[p + "SkipIfEmpty"] = skipIfEmpty ? "true" : "false";
        if (templates is not null)
        {
            s[p + "TemplateFolder"] = templates;
        }

        return s;
    }

    [Fact]
    public async Task Run_DueSubscription_DeliversOncePerRecipientArchivesAndRecords()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = Settings(smtp.Port);
        settings["Subscriptions:0:Recipients:To:1"] = "ops@acme.example";

        var result = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T06:00:00Z");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("succeeded", result.Stdout, StringComparison.Ordinal);

        // One message per recipient; Bcc never in the headers.
        var mails = smtp.Received.ToList();
        Assert.Equal(4, mails.Count);
        Assert.Equal(["audit@carrier.example", "manager@acme.example", "noc@acme.example", "ops@acme.example"], mails.SelectMany(m => m.To).Order().ToArray());
        var message = MimeMessage.Load(new MemoryStream(mails[0].Raw));
        Assert.Contains("Acme Telecom", message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("audit@carrier.example", System.Text.Encoding.UTF8.GetString(mails[0].Raw), StringComparison.Ordinal);
        var attachments = message.Attachments.OfType<MimePart>().ToList();
        Assert.Contains(attachments, a => a.FileName!.EndsWith(".pdf", StringComparison.Ordinal));
        Assert.Contains(attachments, a => a.FileName!.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Contains(attachments, a => a.FileName == "asr-per-route_1_2026-10-25_2026-10-26_hour.csv");

        // The archive holds the same bytes the mail carried, and the ledger points at them.
        await using var ledger = new NpgsqlConnection(_service);
        await ledger.OpenAsync();
        foreach (var attachment in attachments)
        {
            using var bytes = new MemoryStream();
            await attachment.Content!.DecodeToAsync(bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));
            await using var cmd = new NpgsqlCommand("SELECT archive_path FROM cr_run_artifacts WHERE file_name = $1 AND sha256 = $2", ledger) { Parameters = { new() { Value = attachment.FileName }, new() { Value = sha } } };
            var path = (string?)await cmd.ExecuteScalarAsync();
            Assert.NotNull(path);
            var archived = await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "archive", path!));
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(archived)));
        }

        await using (var cmd = new NpgsqlCommand("SELECT status, node, period_from, period_to FROM cr_runs", ledger))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal("succeeded", r.GetString(0));
            Assert.False(string.IsNullOrEmpty(r.GetString(1)));
            Assert.Equal(new DateTime(2026, 10, 24, 23, 0, 0, DateTimeKind.Utc), r.GetDateTime(2));
            Assert.Equal(new DateTime(2026, 10, 26, 0, 0, 0, DateTimeKind.Utc), r.GetDateTime(3)); // the 25-hour day
        }

        // Again for the same period: nothing is sent.
        var again = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T07:30:00Z");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already delivered to all 4 recipients", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, smtp.Received.Count);

        var verify = await CliRunner.RunAsync(settings, "archive", "verify");
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        var runs = await CliRunner.RunAsync(settings, "runs", "list", "--subscription", "acme-daily");
        Assert.Equal(2, runs.Stdout.Split('\n').Count(l => l.Contains("succeeded", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_RecipientRefusedWith550_OthersDeliveredRunFailedAndRetryOnlyResendsTheRefused()
    {
        await using var smtp = SmtpTestServer.Start(refuse: a => a == "refuse-me@acme.example");
        var settings = Settings(smtp.Port, id: "acme-550");

        var result = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-550", "--as-of", "2026-03-30T06:00:00Z");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1 of 4 recipients failed: refuse-me@acme.example", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("550", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, smtp.Received.Count);

        var retry = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-550", "--as-of", "2026-03-30T06:00:00Z");
        Assert.Equal(1, retry.ExitCode);
        Assert.Equal(3, smtp.Received.Count); // the three who have it are not sent it again

        var failed = await CliRunner.RunAsync(settings, "runs", "list", "--status", "failed");
        Assert.Equal(2, failed.Stdout.Split('\n').Count(l => l.Contains("acme-550", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_SmtpDownAtFirst_DeliversWhenItComesBackWithAttemptsRecorded()
    {
        var port = SmtpTestServer.FreePort();
        var settings = Settings(port, id: "acme-late-smtp");
        settings["Subscriptions:0:Recipients:To:1"] = "ops@acme.example";
        settings["Mail:MaxAttempts"] = "6";
        settings["Mail:InitialBackoff"] = "00:00:00.500";
        // "Down" at first: the port answers the first connection by closing it at once, so the first attempt fails
        // for certain (a fixed sleep raced the run on a busy machine); only then does the SMTP server start.
        var down = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        down.Start();
        var run = CliRunner.RunAsync(settings, "run", "--subscription", "acme-late-smtp", "--as-of", "2026-03-10T06:00:00Z");
        using (var first = await down.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(120)))
        {
            first.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }

        down.Stop();
        await using var smtp = SmtpTestServer.Start(port);
        var result = await run;
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal(4, smtp.Received.Count);
        Assert.Matches(@"delivered after [2-6] attempt\(s\)", result.Stdout);
    }

    [Fact]
    public async Task Run_CarrierWithoutTrafficAndSkipIfEmpty_IsSkippedAndSendsNothing()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = Settings(smtp.Port, id: "quiet", carrier: "999", skipIfEmpty: true);
        var result = await CliRunner.RunAsync(settings, "run", "--subscription", "quiet", "--as-of", "2026-03-10T06:00:00Z");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("skipped-empty", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task Run_TemplateError_FailsLoudlyNamingTheFile()
    {
        await using var smtp = SmtpTestServer.Start();
        var templates = Path.Combine(_dir.Path, "templates-broken");
        Directory.CreateDirectory(templates);
        foreach (var file in Directory.GetFiles(TemplatesFolder()))
        {
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(templates, "mail-subject.sbn"), "ASR {{ end }}");
        var settings = Settings(smtp.Port, id: "broken-templates", templates: templates);
        var result = await CliRunner.RunAsync(settings, "run", "--subscription", "broken-templates", "--as-of", "2026-03-10T06:00:00Z");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("mail-subject.sbn", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task Backfill_ThreeDays_RunsEachPeriodOnceWithProgress()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = Settings(smtp.Port, id: "acme-backfill");
        settings["Subscriptions:0:Recipients:To:1"] = "ops@acme.example";
        var result = await CliRunner.RunAsync(settings, "backfill", "--subscription", "acme-backfill", "--from", "2026-03-28", "--to", "2026-03-31");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("[####################] 3/3", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("backfill of acme-backfill: 3 succeeded, 0 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(3 * 4, smtp.Received.Count);

        // The three periods are the three days before each 06:00 fire time, the DST day with 23 hours among them.
        await using var ledger = new NpgsqlConnection(_service);
        await ledger.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT period_to - period_from FROM cr_runs WHERE subscription_id = 'acme-backfill' ORDER BY period_from", ledger);
        var lengths = new List<TimeSpan>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                lengths.Add(r.GetTimeSpan(0));
            }
        }

        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromHours(23)], lengths);

        // Backfilling the same range again sends nothing.
        var again = await CliRunner.RunAsync(settings, "backfill", "--subscription", "acme-backfill", "--from", "2026-03-28", "--to", "2026-03-31");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(3 * 4, smtp.Received.Count);
    }

    [Fact]
    public async Task Run_AttachmentsOverTheLimit_MailCarriesArchiveReferencesInstead()
    {
        await using var smtp = SmtpTestServer.Start();
        var settings = Settings(smtp.Port, id: "acme-big");
        settings["Subscriptions:0:Recipients:To:1"] = "ops@acme.example";
        settings["Mail:MaxAttachmentBytes"] = "10000";
        var result = await CliRunner.RunAsync(settings, "run", "--subscription", "acme-big", "--as-of", "2026-03-10T06:00:00Z");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("over the size limit, replaced by archive references", result.Stdout, StringComparison.Ordinal);
        var message = MimeMessage.Load(new MemoryStream(smtp.Received.First().Raw));
        Assert.Empty(message.Attachments);
        var archiveId = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"archive ([0-9a-f]{12})").Groups[1].Value;
        Assert.NotEmpty(archiveId);
        Assert.Contains(archiveId, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(archiveId, message.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Subscriptions:0:TimeZone", "Europe/Atlantis", "subscription 'acme-daily' (settings Subscriptions:0): TimeZone: 'Europe/Atlantis' is not a known IANA time zone")]
    [InlineData("Subscriptions:0:Cadence", "0 6 * *", "subscription 'acme-daily' (settings Subscriptions:0): Cadence: '0 6 * *' is not a valid cron expression")]
    [InlineData("Subscriptions:0:Recipients:To:0", "not-an-address", "subscription 'acme-daily' (settings Subscriptions:0): Recipients:To: 'not-an-address' is not an e-mail address")]
    [InlineData("Subscriptions:0:Range", "previous-fortnight", "subscription 'acme-daily' (settings Subscriptions:0): Range: 'previous-fortnight' is not a range")]
    public async Task SubscriptionsValidate_BadField_NamesSubscriptionAndField(string key, string value, string expected)
    {
        var settings = Settings(25);
        settings[key] = value;
        var result = await CliRunner.RunAsync(settings, "subscriptions", "validate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    private static string TemplatesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "templates");
            if (File.Exists(Path.Combine(candidate, "mail-subject.sbn")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("templates folder not found");
    }
}
