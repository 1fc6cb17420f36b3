using System.Text;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Templating;

namespace CarrierReports.Tests.Templating;

public sealed class TemplateRendererTests
{
    private static readonly TemplateRenderer Renderer = new(TimeProvider.System);

    private static readonly Artifact[] Files =
    [
        new("csv", "asr-per-route_544_2026-10-01_2026-11-01_day.csv", "text/csv", new byte[3_000]),
    ];

    private static MailContent Mail(CarrierReports.Reports.AsrPerRoute.AsrPerRouteReport report, MailExtras? extras = null, RenderOptions? options = null) =>
        Renderer.RenderMail(report, options ?? new RenderOptions(), Files, extras ?? MailExtras.None);

    [Fact]
    public void Validate_DefaultTemplates_RenderEverySample()
    {
        var set = Renderer.Validate();

        Assert.Equal(TemplateFolder.ResolveDefault(), set.Folder);
    }

    [Fact]
    public void Load_SameFolder_ParsedOnce()
    {
        var renderer = new TemplateRenderer(TimeProvider.System);
        using var folder = new TempTemplateFolder();

        var first = renderer.Load(folder.Path);
        var second = renderer.Load(folder.Path + Path.DirectorySeparatorChar);

        Assert.Same(first, second);
        Assert.NotSame(first, renderer.Load(null));
    }

    [Fact]
    public void Load_FailedFolder_IsRetriedAfterTheFix()
    {
        var renderer = new TemplateRenderer(TimeProvider.System);
        using var folder = new TempTemplateFolder();
        var good = File.ReadAllText(folder.FileOf(TemplateFolder.MailSubject));
        folder.With(TemplateFolder.MailSubject, "{{ if }}");
        Assert.Throws<InputException>(() => renderer.Load(folder.Path));

        folder.With(TemplateFolder.MailSubject, good);

        Assert.Equal(folder.Path, renderer.Load(folder.Path).Folder);
    }

    [Fact]
    public void RenderMail_HtmlBody_StatesPeriodZoneUtcBoundsAndWorstRoute()
    {
        var html = Mail(TemplateTestData.Busy()).HtmlBody;

        Assert.Contains("2026-10-01 to 2026-10-31", html, StringComparison.Ordinal);
        Assert.Contains("Europe/London", html, StringComparison.Ordinal);
        Assert.Contains("2026-10-01T00:00:00+01:00", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-01T00:00:00+00:00", html, StringComparison.Ordinal);
        Assert.Contains("2026-09-30T23:00:00Z", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-01T00:00:00Z", html, StringComparison.Ordinal);
        Assert.Contains(">ng-mobile</td>", html, StringComparison.Ordinal);
        Assert.Contains("19.00 %", html, StringComparison.Ordinal);
        Assert.Contains("SIP code (sip_code) = 200", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_HtmlBody_IsMailClientSafe()
    {
        var html = Mail(TemplateTestData.Busy()).HtmlBody;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("<table", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_EscapesRouteAndCarrierNamesInHtmlOnly()
    {
        var report = TemplateTestData.Report(
            [("<script>alert(1)</script>", 100, 5, 500m), ("uk-fixed", 100, 60, 6_000m)],
            carrierName: "Smith & \"Sons\" <Telecom>");

        var mail = Mail(report);

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Smith & \"Sons\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Smith &amp; &quot;Sons&quot; &lt;Telecom&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script>", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Smith & \"Sons\" <Telecom>", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_EmptyReport_SaysNoTraffic()
    {
        var mail = Mail(TemplateTestData.Empty());

        Assert.Contains("No traffic", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("NO TRAFFIC", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("no traffic", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("2026-09-30T23:00:00Z", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Worst routes", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_EmptyAfterTraffic_PointsAtThePreviousPeriod()
    {
        var report = TemplateTestData.Empty() with { PreviousTotal = new CarrierReports.Reports.AsrPerRoute.Metrics(1_930, 772, 100_000m) };

        var mail = Mail(report);

        Assert.Contains("previous period of the same length had 1,930 attempts (40.00 % ASR)", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("previous period of the same length had 1,930 attempts (40.00 % ASR)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_Headline_CountsRoutesBelowThreshold()
    {
        var mail = Mail(TemplateTestData.Busy());

        Assert.Contains("1 of 7 ranked routes is below the 30 % ASR threshold; the worst is ng-mobile at 19.00 %.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("the worst is ng-mobile at 19.00 %", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_Headline_AllRoutesAboveThreshold()
    {
        var mail = Mail(TemplateTestData.Busy(), options: new RenderOptions { AsrWarningThresholdPct = 10m });

        Assert.Contains("All 7 ranked routes are at or above the 10 % ASR threshold; the lowest is ng-mobile at 19.00 %.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_TextBody_HasTheSameFacts()
    {
        var text = Mail(TemplateTestData.Busy(new CarrierReports.Reports.AsrPerRoute.Metrics(1_930, 772, 100_000m))).TextBody;

        Assert.Contains("2026-10-01T00:00:00+01:00 to 2026-11-01T00:00:00+00:00 (Europe/London, end excluded)", text, StringComparison.Ordinal);
        Assert.Contains("2026-09-30T23:00:00Z to 2026-11-01T00:00:00Z", text, StringComparison.Ordinal);
        Assert.Contains("3,860", text, StringComparison.Ordinal);
        Assert.Contains("+10.36 pp", text, StringComparison.Ordinal);
        Assert.Matches(@"ng-mobile +19\.00 % +200 +38 .* !", text);
        Assert.Contains("Best route: uk-fixed", text, StringComparison.Ordinal);
        Assert.Contains("asr-per-route_544_2026-10-01_2026-11-01_day.csv (2.9 KB)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMail_Subject_IsOneLine()
    {
        var subject = Mail(TemplateTestData.Busy()).Subject;

        Assert.Equal("ASR per Route: Acme Telecom (544), 2026-10-01 to 2026-10-31, ASR 50.36 %", subject);
    }

    [Fact]
    public void RenderMail_AttachmentsOmitted_ListsArchiveReferences()
    {
        var extras = new MailExtras
        {
            AttachmentsOmitted = true,
            ArchiveReferences = [new ArchiveReference("big.pdf", "archive/2026/10/big.pdf")],
        };

        var mail = Mail(TemplateTestData.Busy(), extras);

        Assert.Contains("attachments replaced by archive references", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("big.pdf: archive/2026/10/big.pdf", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("big.pdf: archive/2026/10/big.pdf", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("(2.9 KB)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderReportTexts_FooterDefinesTheMetrics()
    {
        var texts = Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions());

        Assert.Equal("ASR per Route — Acme Telecom (544)", texts.Title);
        Assert.Contains("answered means SIP code (sip_code) = 200", texts.Footer, StringComparison.Ordinal);
        Assert.Contains("ASR % = answered / attempts × 100", texts.Footer, StringComparison.Ordinal);
        Assert.Contains("ACD (s) = answered seconds / answered calls", texts.Footer, StringComparison.Ordinal);
        Assert.Contains("Minutes = answered seconds / 60", texts.Footer, StringComparison.Ordinal);
        Assert.Contains("ratio of sums", texts.Footer, StringComparison.Ordinal);
        Assert.Contains("denominator is 0", texts.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderReportTexts_Notes_ExplainMarkersAndExcludedRows()
    {
        var report = TemplateTestData.Report([("uk-fixed", 100, 60, 6_000m)], negativeRows: 7);

        var notes = Renderer.RenderReportTexts(report, new RenderOptions { MinimumSample = 25 }).Notes;

        Assert.Equal(
            "* marks figures based on fewer than 25 attempts: too few calls for the ASR and ACD to be reliable.\n"
            + "7 CDR rows had a negative duration: they are counted as attempts but not as answered calls.",
            notes);
    }

    [Fact]
    public void RenderReportTexts_EmptyReport_NotesSayNoCdrs()
    {
        var notes = Renderer.RenderReportTexts(TemplateTestData.Empty(), new RenderOptions()).Notes;

        Assert.StartsWith("No CDRs for carrier Acme Telecom (544) in this period", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderReportTexts_UsesTheOptionsFolder()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "Route quality for {{ carrier.name | string.upcase }}");

        var texts = Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path });

        Assert.Equal("Route quality for ACME TELECOM", texts.Title);
    }

    [Theory]
    [InlineData("{{ carrier.nmae }}")]
    [InlineData("{{ carier.name }}")]
    [InlineData("ok\n{{ totals.asr_pct }}")]
    public void Render_UnknownName_FailsNamingFileAndLine(string template)
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, template);

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Equal(folder.FileOf(TemplateFolder.ReportTitle), ex.Field);
        Assert.Matches(@"^line \d+, column \d+: ", ex.Reason);
        Assert.Contains($"line {template.Count(c => c == '\n') + 1},", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ include 'report-footer.sbn' }}")]
    [InlineData("{{ include '/etc/passwd' }}")]
    [InlineData("{{ import carrier }}{{ name }}")]
    public void Render_IncludeAndImport_AreRefused(string template)
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, template);

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Contains(TemplateFolder.ReportTitle, ex.Field, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ for i in 1..100000000 }}x{{ end }}")]
    [InlineData("{{ while true }}x{{ end }}")]
    [InlineData("{{ for i in 1..200 }}{{ for j in 1..200 }}{{ end }}{{ end }}")]
    public void Render_RunawayLoop_StopsAtTheLoopLimit(string template)
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportFooter, template);

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Equal(folder.FileOf(TemplateFolder.ReportFooter), ex.Field);
        Assert.Contains("line 1", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("limit", ex.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_DeepRecursion_StopsAtTheRecursionLimit()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "{{ func f(n); ret f(n + 1); end; f(0) }}");

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Contains("recursive", ex.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_HugeOutput_StopsAtTheOutputLimit()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.MailHtmlBody, "{{ for i in 1..9000 }}{{ '' | string.pad_right 1000 }}x{{ end }}");

        var ex = Assert.Throws<InputException>(() => Mail(TemplateTestData.Busy(), options: new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Equal(folder.FileOf(TemplateFolder.MailHtmlBody), ex.Field);
    }

    [Fact]
    public void Render_SlowTemplate_TimesOut()
    {
        // Each loop stays under the loop limit; together they take far longer than the 50 ms allowed here.
        var slow = new StringBuilder();
        for (var i = 0; i < 3_000; i++)
        {
            slow.Append("{{ for i in 1..9000 }}{{ end }}");
        }

        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportNotes, slow.ToString());
        var renderer = new TemplateRenderer(TimeProvider.System, new TemplateLimits { Timeout = TimeSpan.FromMilliseconds(50) });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var ex = Assert.Throws<InputException>(() => renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Equal(folder.FileOf(TemplateFolder.ReportNotes), ex.Field);
        Assert.Contains("took longer than the 0.05 s limit", ex.Reason, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void Render_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions(), cts.Token));
    }

    [Fact]
    public void Render_EmptyTitle_IsRefused()
    {
        using var folder = new TempTemplateFolder().With(TemplateFolder.ReportTitle, "{{ '' }}  \n");

        var ex = Assert.Throws<InputException>(() => Renderer.RenderReportTexts(TemplateTestData.Busy(), new RenderOptions { TemplateFolder = folder.Path }));

        Assert.Contains("rendered no text", ex.Reason, StringComparison.Ordinal);
    }
}
