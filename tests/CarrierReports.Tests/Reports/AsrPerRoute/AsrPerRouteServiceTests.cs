using CarrierReports.Cdr;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Tests.Support;
using CarrierReports.Time;

namespace CarrierReports.Tests.Reports.AsrPerRoute;

/// <summary>The previous period is summed only when asked for (CSV-only output does not show it), and then exactly.</summary>
public sealed class AsrPerRouteServiceTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PreviousPeriod_OnlyWhenAsked_AndThenTheTotalsOfTheEqualLengthBefore()
    {
        var rows = CdrTestData.Generate(perHour: 3);
        var cs = await CdrTable.Default.LoadSqliteAsync(Path.Combine(_dir.Path, "cdr.db"), rows);
        var service = new AsrPerRouteService(new SqliteCdrSource(new CdrSourceOptions { ConnectionString = cs }), TimeProvider.System);
        var zone = Zones.Find("UTC", "zone");
        var period = RangeExpression.Resolve("2026-10-27", "2026-10-29", zone, DateTimeOffset.UnixEpoch);
        var request = new AsrPerRouteRequest("1", "Acme", period, BucketSize.Day);

        var without = await service.RunAsync(request, includePrevious: false, CancellationToken.None);
        var with = await service.RunAsync(request, includePrevious: true, CancellationToken.None);

        Assert.Null(without.PreviousTotal);
        var before = rows.Where(r => r.Carrier == 1 && r.Start >= period.UtcFrom.AddDays(-2) && r.Start < period.UtcFrom).ToList();
        Assert.True(before.Count > 0);
        Assert.Equal(before.Count, with.PreviousTotal!.Value.Attempts);
        Assert.Equal(without.Total, with.Total);
    }
}
