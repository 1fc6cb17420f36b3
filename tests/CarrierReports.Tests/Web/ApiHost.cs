using CarrierReports.Access;
using System.Net;
using System.Net.Http.Json;
using CarrierReports.Identity;
using CarrierReports.Tests.Delivery;
using CarrierReports.Tests.Support;
using CarrierReports.Web;
using CarrierReports.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Web;

/// <summary>
/// The real web application of <c>serve</c> (<see cref="WebAppFactory.Build"/>), started in this process on real
/// Kestrel at 127.0.0.1 on a free port, over a private PostgreSQL database and an in-process SMTP server, in a folder
/// of its own. Helpers make users and keys of any role and scope and HTTP clients signed in by cookie (with the
/// antiforgery header set) or by key. No scheduler unless asked for.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    /// <summary>The password every user made by <see cref="CreateUserAsync"/> gets.</summary>
    public const string Password = "correct horse battery staple";

    private readonly List<HttpClient> _clients = [];
    private int _users;

    private ApiHost(WebApplication app, Uri baseAddress, SmtpTestServer smtp, TempFolder dir, Dictionary<string, string?> settings)
    {
        App = app;
        BaseAddress = baseAddress;
        Smtp = smtp;
        Dir = dir;
        Settings = settings;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public SmtpTestServer Smtp { get; }

    public TempFolder Dir { get; }

    /// <summary>The settings the app was started with (e.g. the database's connection string, for a CLI over the same database).</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <param name="extra">Settings that win over the defaults here (e.g. <c>Identity:MaxFailedAttempts</c>).</param>
    /// <param name="configure">Replaces services after every registration (e.g. a fake clock).</param>
    public static async Task<ApiHost> StartAsync(PostgresFixture pg, IReadOnlyDictionary<string, string?>? extra = null,
        bool scheduler = false, Action<IServiceCollection>? configure = null)
    {
        var dir = new TempFolder("carrierreports-api-");
        var smtp = SmtpTestServer.Start();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await pg.NewDatabaseAsync("api"),
            ["Mail:Transport"] = "Smtp",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:From"] = "reports@carrier.example",
            ["Archive:Root"] = dir.PathOf("archive"),
            ["SubscriptionSources:Folder"] = dir.PathOf("subscriptions"),
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Web:Scheduler"] = scheduler ? "true" : "false",
            ["Web:SignInPermitsPerMinute"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var (app, _) = WebAppFactory.Build(null, webOnly: !scheduler, verbose: false, settings, configure);
        // As serve does: the tables first (on PostgreSQL nothing else creates them).
        await app.Services.GetRequiredService<CarrierReports.Storage.SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiHost(app, new Uri(address), smtp, dir, settings);
    }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A client that is not signed in; it keeps cookies, so it can sign in.</summary>
    public HttpClient Anonymous()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        _clients.Add(client);
        return client;
    }

    /// <summary>Adds a user with <see cref="Password"/>; the name is the role and a number unless given.</summary>
    public async Task<UserAccount> CreateUserAsync(Role role, CarrierScope? scope = null, string? name = null)
    {
        name ??= $"{role.Name()}{Interlocked.Increment(ref _users)}";
        var added = await Get<UserStore>().AddAsync(name, role, scope ?? CarrierScope.All, Password, CancellationToken.None);
        return added.User;
    }

    /// <summary>Signs in with a password and fetches the antiforgery token, which the client then sends with every request.</summary>
    public async Task<HttpClient> SignInAsync(string name, string password = Password)
    {
        var client = Anonymous();
        using var signIn = await client.PostAsJsonAsync(SessionEndpoints.Path, new { user = name, password });
        Assert.True(signIn.IsSuccessStatusCode, $"sign-in of {name}: {(int)signIn.StatusCode} {await signIn.Content.ReadAsStringAsync()}");
        var token = await client.GetFromJsonAsync<SessionEndpoints.AntiforgeryToken>(SessionEndpoints.AntiforgeryPath);
        client.DefaultRequestHeaders.Add(AuthSchemes.AntiforgeryHeader, token!.Token);
        return client;
    }

    /// <summary>A new user of this role and scope, signed in by cookie.</summary>
    public async Task<HttpClient> UserClientAsync(Role role, CarrierScope? scope = null)
    {
        var user = await CreateUserAsync(role, scope);
        return await SignInAsync(user.Name);
    }

    /// <summary>Creates an API key (returned once, as the CLI would show it).</summary>
    public Task<NewApiKey> CreateKeyAsync(Role role, CarrierScope? scope = null, DateTimeOffset? expiresAt = null) =>
        Get<ApiKeyStore>().CreateAsync($"{role.Name()} key", role, scope ?? CarrierScope.All, expiresAt, "tests", CancellationToken.None);

    /// <summary>A client that sends <c>Authorization: Bearer</c> with the token.</summary>
    public HttpClient KeyClient(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        _clients.Add(client);
        return client;
    }

    /// <summary>A new key of this role and scope, and a client that uses it.</summary>
    public async Task<HttpClient> KeyClientAsync(Role role, CarrierScope? scope = null) => KeyClient((await CreateKeyAsync(role, scope)).Token);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
        Dir.Dispose();
    }
}
