using CarrierReports.Rollups;
using CarrierReports.Scheduling;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Tests.Rollups;

/// <summary>The refresh job on the real scheduler: scheduled at start when rollups are on, and it backfills by itself.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupJobTests(PostgresFixture pg)
{
    [Fact]
    public async Task ServiceWithRollupsOn_RefreshJobBackfillsByItself()
    {
        await using var store = await RollupTestStore.CreateAsync(pg, "sqlite");
        var settings = new Dictionary<string, string?>
        {
            ["CdrSource:Provider"] = "Sqlite",
            ["CdrSource:ConnectionString"] = store.CdrConnectionString,
            ["Database:ConnectionString"] = store.ServiceConnectionString,
            ["Mail:From"] = "reports@example.net",
            ["Rollups:Enabled"] = "true",
            ["Rollups:RefreshInterval"] = "00:00:10",
            ["Rollups:ChunkDays"] = "30",
        };
        var builder = AppHost.CreateBuilder(null, settings, LogLevel.Warning);
        builder.Services.AddScheduling(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var rollups = host.Services.GetRequiredService<RollupStore>();
            // The watermark moves chunk by chunk during the backfill (an interrupted one resumes there) up to the current slot.
            RollupState? state = null;
            for (var i = 0; i < 240 && !(state is { } s && DateTimeOffset.UtcNow - s.Watermark < TimeSpan.FromMinutes(16)); i++)
            {
                await Task.Delay(500);
                state = await rollups.ReadStateAsync(CancellationToken.None);
            }

            Assert.NotNull(state);
            Assert.True(DateTimeOffset.UtcNow - state.Watermark < TimeSpan.FromMinutes(16), $"watermark {state.Watermark:O} should reach the current slot");
            Assert.True(await rollups.CountAsync(CancellationToken.None) > 1000);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
