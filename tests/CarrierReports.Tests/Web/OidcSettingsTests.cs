using CarrierReports.Identity;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Tests.Web;

/// <summary><c>Auth:Oidc</c>: registered only when present, and every bad setting named at start.</summary>
public sealed class OidcSettingsTests
{
    [Fact]
    public async Task WithoutTheSection_NoOidcSchemeIsRegistered()
    {
        using var services = Build(new() { ["Web:Urls"] = "http://127.0.0.1:0" });
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Null(await schemes.GetSchemeAsync(OidcSetup.Scheme));
        Assert.NotNull(await schemes.GetSchemeAsync(AuthSchemes.Cookie));
        Assert.Empty(services.GetServices<IValidateOptions<OidcOptions>>());
    }

    [Fact]
    public async Task GoodSettings_RegisterTheScheme()
    {
        using var services = Build(new()
        {
            ["Auth:Oidc:Authority"] = "https://login.example.com/realms/staff",
            ["Auth:Oidc:ClientId"] = "carrier-reports",
            ["Auth:Oidc:RoleMap:report-admins"] = "admin",
        });
        Assert.NotNull(await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OidcSetup.Scheme));
        Assert.Equal("admin", services.GetRequiredService<IOptions<OidcOptions>>().Value.RoleMap["REPORT-ADMINS"]);
    }

    [Theory]
    [InlineData(null, "x", null, null, null, "Auth:Oidc:Authority: is required")]
    [InlineData("https://login.example.com", null, null, null, null, "Auth:Oidc:ClientId: is required")]
    [InlineData("login.example.com", "x", null, null, null, "Auth:Oidc:Authority: 'login.example.com' is not an absolute http(s) URL")]
    [InlineData("http://login.example.com", "x", null, null, null, "Auth:Oidc:Authority: 'http://login.example.com' is not HTTPS")]
    [InlineData("http://login.example.com", "x", "false", null, null, "Auth:Oidc:RequireHttpsMetadata: false is accepted only for a provider on loopback")]
    [InlineData("https://login.example.com", "x", null, "profile email", null, "Auth:Oidc:Scopes: 'profile email' lacks openid")]
    [InlineData("https://login.example.com", "x", null, null, "root", "Auth:Oidc:RoleMap:ops: 'root' is not a role")]
    public void BadSettings_AreNamedAtStart(string? authority, string? clientId, string? requireHttps, string? scopes, string? mappedRole, string expected)
    {
        using var services = Build(new()
        {
            ["Auth:Oidc:Authority"] = authority,
            ["Auth:Oidc:ClientId"] = clientId,
            ["Auth:Oidc:RequireHttpsMetadata"] = requireHttps,
            ["Auth:Oidc:Scopes"] = scopes,
            ["Auth:Oidc:RoleMap:ops"] = mappedRole,
        });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OidcOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001")]
    [InlineData("http://localhost:5001/realms/dev")]
    [InlineData("http://[::1]:5001")]
    public void PlainHttp_IsAcceptedForALoopbackProviderOnly_WhenHttpsMetadataIsOff(string authority)
    {
        using var services = Build(new()
        {
            ["Auth:Oidc:Authority"] = authority,
            ["Auth:Oidc:ClientId"] = "x",
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
        });
        Assert.Equal(authority, services.GetRequiredService<IOptions<OidcOptions>>().Value.Authority);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/console/subscriptions?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("console", false)]
    [InlineData("/a\r\nSet-Cookie: x=1", false)]
    public void ReturnUrl_MustBeALocalPath(string url, bool local) => Assert.Equal(local, OidcSetup.IsLocal(url));

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(kv => kv.Value is not null)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddWebAuth(new CarrierReports.Web.WebOptions(), configuration);
        return services.BuildServiceProvider();
    }
}
