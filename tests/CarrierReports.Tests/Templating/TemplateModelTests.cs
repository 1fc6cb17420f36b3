using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Templating;

namespace CarrierReports.Tests.Templating;

public sealed class TemplateModelTests
{
    private static TemplateModel Model(AsrPerRouteReport report, RenderOptions? options = null) =>
        TemplateModel.Create(report, options ?? new RenderOptions(), [], MailExtras.None, texts: null);

    [Fact]
    public void WorstRoutes_LowestAsrFirst_RankedRoutesOnly_AtMostFive()
    {
        var model = Model(TemplateTestData.Busy());

        Assert.Equal(["ng-mobile", "in-mobile-b", "pk-mobile", "de-mobile", "fr-fixed"], model.WorstRoutes.Select(r => r.Name));
        Assert.Equal("19.00 %", model.WorstRoutes[0].Asr);
        Assert.Equal(19m, model.WorstRoutes[0].AsrValue);
        Assert.True(model.WorstRoutes[0].BelowThreshold);
        Assert.False(model.WorstRoutes[2].BelowThreshold);
        Assert.Equal("uk-fixed", model.BestRoute?.Name);
        Assert.Equal(7, model.RankedRouteCount);
        Assert.Equal(1, model.SmallSampleRouteCount);
        Assert.Equal(9, model.RouteCount);
        Assert.Equal("50", model.Unrouted?.Attempts);
    }

    [Fact]
    public void WorstRoutes_MinimumSampleFromOptions()
    {
        var model = Model(TemplateTestData.Busy(), new RenderOptions { MinimumSample = 5 });

        Assert.Equal("np-fixed", model.WorstRoutes[0].Name);
        Assert.Equal("—", model.WorstRoutes[0].Acd);
        Assert.Null(model.WorstRoutes[0].AcdValue);
    }

    [Fact]
    public void Totals_FormattedWithReportFormat_AndRaw()
    {
        var model = Model(TemplateTestData.Busy());

        Assert.Equal("3,860", model.Totals.Attempts);
        Assert.Equal(3_860, model.Totals.AttemptsValue);
        Assert.Equal(ReportFormat.Percent(1944m * 100 / 3860), model.Totals.Asr);
        Assert.Equal("2026-10-01 to 2026-10-31", model.Period.Label);
        Assert.Equal("2026-10-01T00:00:00+01:00", model.Period.LocalFrom);
        Assert.Equal("2026-11-01T00:00:00+00:00", model.Period.LocalTo);
        Assert.Equal("2026-09-30T23:00:00Z", model.Period.UtcFrom);
        Assert.Equal("Europe/London", model.Period.Zone);
        Assert.Equal("day", model.Period.Bucket);
        Assert.Equal("30 %", model.Threshold);
    }

    [Fact]
    public void Change_WithoutPrevious_IsUnavailable()
    {
        var change = Model(TemplateTestData.Busy()).Change;

        Assert.False(change.Available);
        Assert.Null(change.Previous);
        Assert.Equal("—", change.Asr);
    }

    [Fact]
    public void Change_AgainstPrevious_RelativeCountsAndAsrPoints()
    {
        // Previous: 3,860 / 2 attempts, ASR 40 %; now 1,944 of 3,860 answered (50.36 %).
        var change = Model(TemplateTestData.Busy(new Metrics(1_930, 772, 100_000m))).Change;

        Assert.True(change.Available);
        Assert.Equal("+100.0 %", change.Attempts);
        Assert.Equal(100m, change.AttemptsPct);
        Assert.Equal("+10.36 pp", change.Asr);
    }

    [Fact]
    public void Change_PreviousWithoutTraffic_IsDash()
    {
        var change = Model(TemplateTestData.Busy(Metrics.Zero)).Change;

        Assert.True(change.Available);
        Assert.Equal("—", change.Attempts);
        Assert.Null(change.AttemptsPct);
        Assert.Equal("—", change.Asr);
    }
}
