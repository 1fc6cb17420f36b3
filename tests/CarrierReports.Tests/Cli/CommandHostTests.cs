using CarrierReports.Cli;
using CarrierReports.Reports;
using CarrierReports.Reports.AsrPerRoute;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarrierReports.Tests.Cli;

/// <summary>The lean host of one-shot commands reads the same settings as the generic host and builds only what the command uses.</summary>
public sealed class CommandHostTests
{
    [Fact]
    public void Configuration_HoldsWhatTheGenericHostHolds_InTheSameOrder()
    {
        using var dir = new TempFolder();
        var file = Path.Combine(dir.Path, "extra.json");
        File.WriteAllText(file, """{ "CdrSource": { "Table": "from_file", "Columns": { "Route": "rate_card" } }, "Reports": { "MaxRoutes": 12 } }""");
        var overrides = new Dictionary<string, string?> { ["CdrSource:Table"] = "from_overrides", ["Rollups:Enabled"] = "true" };

        var generic = AppHost.CreateBuilder(file, overrides, LogLevel.Warning).Configuration;
        var lean = AppHost.CreateConfiguration(file, overrides);

        Assert.Equal(generic.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal), lean.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("from_overrides", lean["CdrSource:Table"]);
        Assert.Equal("rate_card", lean["CdrSource:Columns:Route"]);
    }

    [Fact]
    public void MissingConfigFile_IsTheSameInputError()
    {
        var ex = Assert.Throws<InputException>(() => AppHost.CreateConfiguration("no-such-settings.json", null));
        Assert.Equal("--config", ex.Field);
        Assert.Contains("'no-such-settings.json' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportHost_ResolvesTheReport_WithoutSchedulerIdentityOrMail()
    {
        var configuration = AppHost.CreateConfiguration(null, new Dictionary<string, string?> { ["CdrSource:ConnectionString"] = "Data Source=unused.db" });
        IServiceCollection? registered = null;
        await using var host = CommandHost.Create(configuration, LogLevel.Warning, s => s.AddReportFeatures(), s => registered = s);

        Assert.NotNull(host.Services.GetRequiredService<AsrPerRouteService>());
        Assert.NotNull(host.Services.GetRequiredService<ReportArtifacts>());
        Assert.NotNull(host.Services.GetRequiredService<ILogger<CommandHostTests>>());
        var assemblies = registered!.SelectMany(d => new[] { d.ServiceType, d.ImplementationType }).OfType<Type>()
            .Select(t => t.Assembly.GetName().Name!).Distinct().ToList();
        Assert.DoesNotContain(assemblies, a => a.StartsWith("Quartz", StringComparison.Ordinal) || a.Contains("Identity", StringComparison.Ordinal)
            || a.StartsWith("MailKit", StringComparison.Ordinal) || a.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal));
        var types = registered!.Select(d => d.ServiceType.Namespace ?? "").ToList();
        Assert.DoesNotContain(types, n => n.StartsWith("CarrierReports.Delivery", StringComparison.Ordinal) || n.StartsWith("CarrierReports.Subscriptions", StringComparison.Ordinal)
            || n.StartsWith("CarrierReports.Scheduling", StringComparison.Ordinal) || n.StartsWith("CarrierReports.Audit", StringComparison.Ordinal));
    }
}
