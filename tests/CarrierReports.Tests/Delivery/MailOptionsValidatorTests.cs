using CarrierReports.Delivery;
using CarrierReports.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Delivery;

public sealed class MailOptionsValidatorTests
{
    /// <summary>Both checks the options pipeline runs: the attributes (ranges) and the cross-field rules.</summary>
    private static IReadOnlyList<string> Failures(MailOptions options) =>
    [
        .. new SettingsValidator<MailOptions>(MailOptions.Section).Validate(null, options).Failures ?? [],
        .. new MailOptionsValidator().Validate(null, options).Failures ?? [],
    ];

    [Fact]
    public void Validate_Defaults_WithFrom_Pass()
    {
        Assert.Empty(Failures(new MailOptions { From = "reports@example.net" }));
    }

    [Fact]
    public void Validate_PortZero_NamesTheSetting()
    {
        Assert.Contains("Mail:Port: 0 is outside 1..65535", Failures(new MailOptions { From = "reports@example.net", Port = 0 }));
    }

    [Fact]
    public void Validate_MissingFromAndHost_NameBothSettings()
    {
        var failures = Failures(new MailOptions { Transport = MailTransport.Smtp });

        Assert.Contains(failures, f => f.StartsWith("Mail:From:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mail:Host:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PasswordWithoutUser_NeverEchoesThePassword()
    {
        var failures = Failures(new MailOptions { From = "reports@example.net", Password = "s3cret-Pa55" });

        var failure = Assert.Single(failures);
        Assert.StartsWith("Mail:Username:", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BackoffAndLimits_NameTheirSettings()
    {
        var failures = Failures(new MailOptions
        {
            From = "reports@example.net",
            MaxAttempts = 0,
            InitialBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(1),
            MaxAttachmentBytes = 0,
            Domain = "bad domain",
        });

        Assert.Contains(failures, f => f.StartsWith("Mail:MaxAttempts:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mail:MaxBackoff:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mail:MaxAttachmentBytes:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mail:Domain:", StringComparison.Ordinal));
    }

    [Fact]
    public void AddDelivery_BindsSectionAndPicksTransport()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:Transport"] = "Smtp",
            ["Mail:Host"] = "smtp.example.net",
            ["Mail:Port"] = "587",
            ["Mail:Security"] = "StartTls",
            ["Mail:From"] = "reports@example.net",
            ["Mail:InitialBackoff"] = "00:00:05",
        }).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDelivery();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal(587, options.Port);
        Assert.Equal(MailSecurity.StartTls, options.Security);
        Assert.Equal(TimeSpan.FromSeconds(5), options.InitialBackoff);
        Assert.IsType<SmtpMailSender>(provider.GetRequiredService<IMailSender>());
        _ = provider.GetRequiredService<MailDelivery>(); // throws when a dependency of the delivery is not registered
    }

    [Fact]
    public void AddDelivery_InvalidPort_FailsWithTheSettingName()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:From"] = "reports@example.net",
            ["Mail:Port"] = "0",
        }).Build());
        services.AddDelivery();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);
        Assert.Contains("Mail:Port: 0 is outside 1..65535", ex.Failures);
    }

    [Fact]
    public void Validate_EveryRange_NamesItsSettingAndValue()
    {
        var failures = Failures(new MailOptions
        {
            From = "reports@example.net",
            TimeoutSeconds = 0,
            MaxConnections = 65,
            ConnectionIdleSeconds = -1,
            MaxMessagesPerConnection = 0,
            MaxAttempts = 101,
        });

        Assert.Equal(
            ["Mail:MaxAttempts: 101 is outside 1..100", "Mail:TimeoutSeconds: 0 is outside 1..3600", "Mail:MaxConnections: 65 is outside 1..64",
             "Mail:ConnectionIdleSeconds: -1 is outside 0..300", "Mail:MaxMessagesPerConnection: 0 is outside 1..100000"],
            failures);
    }

    [Fact]
    public async Task Host_InvalidPort_FailsAtStart()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mail:From"] = "reports@example.net", ["Mail:Port"] = "70000" });
        builder.Services.AddDelivery();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Mail:Port: 70000 is outside 1..65535", ex.Failures);
    }
}
