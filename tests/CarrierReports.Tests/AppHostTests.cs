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
        _ = s.GetRequiredService<IOptions<HealthOptions>>().Value;
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
