using CarrierReports.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Delivery;

public sealed class MailOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(MailOptions options) =>
        new MailOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

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
        Assert.NotNull(provider.GetRequiredService<MailDelivery>());
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
}
