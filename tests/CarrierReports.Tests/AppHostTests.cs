using CarrierReports.Archive;
using CarrierReports.Cdr;
using CarrierReports.Delivery;
using CarrierReports.Health;
using CarrierReports.Scheduling;
using CarrierReports.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests;

/// <summary>The files a new user copies must stay valid as the settings evolve.</summary>
public sealed class AppHostTests
{
    [Fact]
    public void SampleSettings_BindAndPassEveryValidator()
    {
        var sample = Path.Combine(RepositoryRoot(), "appsettings.sample.json");
        using var host = AppHost.CreateBuilder(sample, null, LogLevel.Warning).Build();
        var s = host.Services;

        var cdr = s.GetRequiredService<IOptions<CdrSourceOptions>>().Value;
        Assert.Equal(CdrProvider.Postgres, cdr.Provider);
        Assert.Equal("sip_code", cdr.Columns.SipCode);
        Assert.Equal(CdrProvider.Postgres, s.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider);
        var mail = s.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal((MailTransport.Smtp, MailSecurity.StartTls), (mail.Transport, mail.Security));
        Assert.Null(mail.Password); // credentials never come from the sample
        Assert.False(string.IsNullOrEmpty(s.GetRequiredService<IOptions<ArchiveOptions>>().Value.Root));
        Assert.Equal(4, s.GetRequiredService<IOptions<SchedulingOptions>>().Value.MaxConcurrentRuns);
        var health = s.GetRequiredService<IOptions<HealthOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(15), health.OverdueAfter);
    }

    [Fact]
    public void MailPasswordInSettingsFile_IsRefusedNamingTheFileAndTheRightPlace()
    {
        using var dir = new Support.TempFolder();
        var file = Path.Combine(dir.Path, "settings.json");
        File.WriteAllText(file, """{ "Mail": { "From": "reports@example.net", "Username": "reports", "Password": "s3cret-Pa55" } }""");
        using var host = AppHost.CreateBuilder(file, null, LogLevel.Warning).Build();

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MailOptions>>().Value);

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"Mail:Password: is set in the settings file {file}; ", failure, StringComparison.Ordinal);
        Assert.Contains("Mail__Password", failure, StringComparison.Ordinal);
        Assert.Contains("user-secrets", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void MailPasswordFromEnvironmentOrOverrides_IsAccepted()
    {
        var overrides = new Dictionary<string, string?> { ["Mail:From"] = "reports@example.net", ["Mail:Username"] = "reports", ["Mail:Password"] = "s3cret-Pa55" };
        using var host = AppHost.CreateBuilder(null, overrides, LogLevel.Warning).Build();

        Assert.Equal("s3cret-Pa55", host.Services.GetRequiredService<IOptions<MailOptions>>().Value.Password);
    }

    [Theory]
    [InlineData("CdrSource")]
    [InlineData("Database")]
    public void PostgresConnectionStringWithDefaultSqliteProvider_SuggestsTheProviderSetting(string section)
    {
        var overrides = new Dictionary<string, string?> { [$"{section}:ConnectionString"] = "Host=db.example;Database=switch;Username=reports" };
        using var host = AppHost.CreateBuilder(null, overrides, LogLevel.Warning).Build();

        var ex = Assert.Throws<OptionsValidationException>(() => section == "CdrSource"
            ? host.Services.GetRequiredService<IOptions<CdrSourceOptions>>().Value.Table
            : host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"{section}:ConnectionString: sets 'Host', a PostgreSQL connection string, but {section}:Provider is Sqlite", failure, StringComparison.Ordinal);
        Assert.Contains($"{section}__Provider=Postgres", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scheduling:MaxConcurrentRuns", "0", "Scheduling:MaxConcurrentRuns: 0 is outside 1..256")]
    [InlineData("Scheduling:MaxCatchUpRuns", "10001", "Scheduling:MaxCatchUpRuns: 10001 is outside 0..10000")]
    [InlineData("Scheduling:MaxRunAttempts", "0", "Scheduling:MaxRunAttempts: 0 is outside 1..100")]
    [InlineData("CdrSource:CommandTimeoutSeconds", "86401", "CdrSource:CommandTimeoutSeconds: 86401 is outside 1..86400")]
    [InlineData("CdrSource:ConnectionString", " ", "CdrSource:ConnectionString: is empty")]
    [InlineData("Database:ConnectionString", "", "Database:ConnectionString: is empty")]
    [InlineData("Mail:MaxAttachmentBytes", "0", "Mail:MaxAttachmentBytes: 0 is outside 1..2147483647")]
    public void OutOfRangeSetting_FailsWithItsPathAndValue(string key, string value, string expected)
    {
        var overrides = new Dictionary<string, string?> { ["Mail:From"] = "reports@example.net", [key] = value };
        using var host = AppHost.CreateBuilder(null, overrides, LogLevel.Warning).Build();
        object Resolve() => key == "Scheduling:MaxRunAttempts" ? (object)host.Services.GetRequiredService<IOptions<CarrierReports.Runs.RunOptions>>().Value : key.Split(':')[0] switch
        {
            "Scheduling" => host.Services.GetRequiredService<IOptions<SchedulingOptions>>().Value,
            "CdrSource" => host.Services.GetRequiredService<IOptions<CdrSourceOptions>>().Value,
            "Database" => host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            _ => host.Services.GetRequiredService<IOptions<MailOptions>>().Value,
        };

        var ex = Assert.Throws<OptionsValidationException>(Resolve);

        Assert.Equal([expected], ex.Failures);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CarrierReports.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
