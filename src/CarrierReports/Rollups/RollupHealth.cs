using CarrierReports.Health;
using CarrierReports.Rendering;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

/// <summary>The health line of the rollups: their lag behind now, a problem over <see cref="RollupOptions.MaxLag"/>.</summary>
public sealed class RollupHealth(RollupStore store, IOptions<RollupOptions> settings) : IHealthContributor
{
    public async Task<HealthItem> CheckAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return new HealthItem("rollups", "off (Rollups:Enabled=false: reports read raw CDRs)", false);
        }

        if (await store.ReadStateAsync(cancellationToken) is not { } state)
        {
            return new HealthItem("rollups", "no refresh has finished yet (reports read raw CDRs until then; see 'rollups status')", true);
        }

        var lag = now - state.Watermark;
        var detail = $"watermark {ReportFormat.UtcTime(state.Watermark)}, lag {Math.Max(0, lag.TotalMinutes):0.#} min (threshold Rollups:MaxLag {options.MaxLag})" +
                     (state.LastReconciliation is { } r ? $", last reconciled {ReportFormat.UtcTime(r.At)}" : ", never reconciled");
        return new HealthItem("rollups", detail, lag > options.MaxLag);
    }
}
