using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace CarrierReports.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server, degraded mode: no store, our own checks) on Kestrel at
/// 127.0.0.1 on a free port. Its authorize endpoint shows no page: it signs in <see cref="User"/> at once, with the
/// role and carrier claims in the ID token. It knows one client (<see cref="ClientId"/>, <see cref="ClientSecret"/>),
/// accepts only the redirect URI set in <see cref="RedirectUri"/>, and requires PKCE (S256).
/// </summary>
internal sealed class OidcTestProvider : IAsyncDisposable
{
    public const string ClientId = "carrier-reports";
    public const string ClientSecret = "provider-test-secret";

    private WebApplication? _app;

    /// <summary>Who the next authorize request signs in.</summary>
    /// <param name="Roles">Values of the <c>role</c> claim (none: the claim is left out).</param>
    /// <param name="Carriers">Values of the <c>carriers</c> claim (null: left out, which means all carriers).</param>
    public sealed record TestUser(string Subject, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string>? Carriers);

    public Uri Authority { get; private set; } = null!;

    /// <summary>The only redirect URI the provider sends codes to (the app's <c>/signin-oidc</c>).</summary>
    public string? RedirectUri { get; set; }

    public TestUser User { get; set; } = new("subject-0", "nobody", [], null);

    /// <summary>False: the client is public (PKCE only) and must send no secret.</summary>
    public bool ConfidentialClient { get; set; } = true;

    /// <summary>Every authorize request as received (its query), to check what the client sent.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string?>> AuthorizeRequests { get; } = new();

    /// <summary>Token requests that passed client authentication and reached the code exchange.</summary>
    public int CodeExchanges => _codeExchanges;

    private int _codeExchanges;

    public static async Task<OidcTestProvider> StartAsync()
    {
        var provider = new OidcTestProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.EnableDegradedMode(); // no application store: the handlers below check the client
            o.UseAspNetCore().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(provider.ValidateAuthorize));
            o.AddEventHandler<HandleAuthorizationRequestContext>(b => b.UseInlineHandler(provider.Authorize));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(provider.ValidateToken));
        });
        var app = builder.Build();
        app.UseAuthentication(); // OpenIddict answers its endpoints from the authentication middleware
        provider._app = app;
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    private ValueTask ValidateAuthorize(ValidateAuthorizationRequestContext context)
    {
        AuthorizeRequests.Enqueue(context.Request.GetParameters().ToDictionary(p => p.Key, p => (string?)p.Value));
        if (context.ClientId != ClientId)
        {
            context.Reject(Errors.InvalidClient, $"unknown client_id '{context.ClientId}'");
        }
        else if (RedirectUri is null || !string.Equals(context.RedirectUri, RedirectUri, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidRequest, $"redirect_uri '{context.RedirectUri}' is not registered");
        }

        return default;
    }

    private ValueTask Authorize(HandleAuthorizationRequestContext context)
    {
        var user = User;
        var identity = new ClaimsIdentity("test-provider", Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.PreferredUsername, user.Name));
        foreach (var role in user.Roles)
        {
            identity.AddClaim(new Claim(Claims.Role, role));
        }

        foreach (var carrier in user.Carriers ?? [])
        {
            identity.AddClaim(new Claim("carriers", carrier));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(context.Request.GetScopes());
        principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        context.SignIn(principal);
        return default;
    }

    private ValueTask ValidateToken(ValidateTokenRequestContext context)
    {
        if (context.ClientId != ClientId || context.Request.ClientSecret != (ConfidentialClient ? ClientSecret : null))
        {
            context.Reject(Errors.InvalidClient, "client authentication failed");
            return default;
        }

        Interlocked.Increment(ref _codeExchanges);
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
