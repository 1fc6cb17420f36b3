using CarrierReports.Tests.Storage;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Runs;

/// <summary>
/// The TestFaults seam pauses runs only in a process started with CARRIERREPORTS_ENABLE_TEST_FAULTS=1; a configured
/// section without it stops the command before any run starts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TestFaultGateTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private Dictionary<string, string?> _settings = [];

    public async Task InitializeAsync()
    {
        var cdr = await pg.NewDatabaseAsync("faults_cdr");
        await CdrTable.Default.LoadPostgresAsync(cdr, CdrTestData.Generate(perHour: 1));
        _settings = PostgresRunSettings.Create(cdr, await pg.NewDatabaseAsync("faults_service"), _dir.Path);
        Assert.Equal(0, (await CliRunner.RunAsync(_settings, "db", "migrate")).ExitCode);
        _settings["TestFaults:PauseAt"] = "AfterRender";
        _settings["TestFaults:PauseFile"] = _dir.PathOf("paused");
        _settings["TestFaults:PauseTimeout"] = "00:00:01";
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ConfiguredWithoutTheSwitch_IsAnErrorNamingTheSetting_AndNothingRuns()
    {
        Assert.NotEqual("1", Environment.GetEnvironmentVariable("CARRIERREPORTS_ENABLE_TEST_FAULTS"));
        var result = await CliRunner.RunAsync(_settings, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T06:00:00Z");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: TestFaults:PauseAt: the TestFaults section is a test-only seam", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("CARRIERREPORTS_ENABLE_TEST_FAULTS=1", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.PathOf("paused")));
        Assert.Contains("(no runs)", (await CliRunner.RunAsync(PostgresRunSettings.Create(_settings["CdrSource:ConnectionString"]!, _settings["Database:ConnectionString"]!, _dir.Path), "runs", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheSwitchInTheProcess_TheRunPausesAtThePoint()
    {
        var settings = new Dictionary<string, string?>(_settings) { ["CARRIERREPORTS_ENABLE_TEST_FAULTS"] = "1" };
        var result = await AppProcess.RunAsync(settings, _dir.Path, "run", "--subscription", "acme-daily", "--as-of", "2026-10-26T06:00:00Z");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("acme-daily", await File.ReadAllTextAsync(_dir.PathOf("paused")), StringComparison.Ordinal);
    }
}
