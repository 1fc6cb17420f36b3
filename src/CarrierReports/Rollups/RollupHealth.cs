using CarrierReports.Health;
using CarrierReports.Rendering;

namespace CarrierReports.Rollups;

/// <summary>The health line of the rollups: their lag behind now, a problem over <see cref="RollupOptions.MaxLag"/>.</summary>
public static class RollupHealth
{
    public static async Task<HealthItem> CheckAsync(RollupStore store, RollupOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
