using CarrierReports.Cdr;
using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Rollups;

/// <summary>Pre-summed CDRs per (carrier, route, 15-minute UTC slot) in the service database. Section <c>Rollups</c>.</summary>
public sealed class RollupOptions
{
    public const string Section = "Rollups";

    /// <summary>
    /// Reports read slots before the watermark from the rollups and refresh jobs run under <c>serve</c>. Default false:
    /// turning it on needs a first backfill (<c>rollups refresh</c>), and a report is only as fresh as the last refresh
    /// for CDRs that arrive later than <see cref="LateWindow"/> until reconciliation (README, Rollups).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How often the refresh job runs. Default 5 minutes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each refresh re-sums <c>[watermark − LateWindow, now)</c>, so CDRs written up to this late are picked up. Default 2 hours.</summary>
    public TimeSpan LateWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Health reports a problem when the watermark is older than this. Default 30 minutes.</summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Days summed per query (and per transaction) when backfilling or rebuilding. Default 31: without an index on the
    /// start column alone every chunk is a full scan of the CDR table, so a backfill costs one scan per chunk; the rows
    /// stream from the query into the insert, so a longer chunk does not take more memory here.
    /// </summary>
    [SettingRange(1, 366)]
    public int ChunkDays { get; set; } = 31;

    /// <summary>UTC days before the watermark that the daily reconciliation compares. Default 7.</summary>
    [SettingRange(1, 3660)]
    public int ReconcileDays { get; set; } = 7;

    /// <summary>Quartz cron expression (UTC) of the daily reconciliation. Default <c>0 30 3 * * ?</c> (03:30).</summary>
    public string ReconcileCron { get; set; } = "0 30 3 * * ?";
}

/// <summary>The rollup settings' rules; each failure names its setting.</summary>
public sealed class RollupOptionsValidator : IValidateOptions<RollupOptions>
{
    public ValidateOptionsResult Validate(string? name, RollupOptions o)
    {
        const string s = RollupOptions.Section + ":";
        var errors = new SettingErrors();
        var slot = TimeSpan.FromSeconds(Slots.Seconds);
        if (o.RefreshInterval < TimeSpan.FromSeconds(10) || o.RefreshInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"{s}RefreshInterval: '{o.RefreshInterval}' must be between 00:00:10 and 1.00:00:00");
        }

        if (o.LateWindow < TimeSpan.Zero || o.LateWindow > TimeSpan.FromDays(31) || o.LateWindow.Ticks % slot.Ticks != 0)
        {
            errors.Add($"{s}LateWindow: '{o.LateWindow}' must be a whole number of 15-minute slots between 0 and 31 days");
        }

        if (o.MaxLag <= o.RefreshInterval)
        {
            errors.Add($"{s}MaxLag: '{o.MaxLag}' must be more than RefreshInterval ({o.RefreshInterval}), or every refresh would look late");
        }

        try
        {
            _ = new global::Quartz.CronExpression(o.ReconcileCron ?? "");
        }
        catch (FormatException ex)
        {
            errors.Add($"{s}ReconcileCron: '{o.ReconcileCron}' is not a Quartz cron expression (e.g. 0 30 3 * * ?): {ex.Message}");
        }

        return errors.Result();
    }
}
