using System.Collections.Concurrent;
using CarrierReports.Access;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using Microsoft.Playwright;

namespace CarrierReports.Tests.WebConsole.Support;

/// <summary>
/// The app of <c>serve</c> on real Kestrel at 127.0.0.1 (<see cref="ApiHost"/>: test PostgreSQL, in-process SMTP)
/// and a browser context pointed at it. Every page opened through <see cref="NewPageAsync"/> has its console errors and
/// uncaught exceptions collected; <see cref="CheckPageAsync"/> fails on any of them, runs axe-core and writes
/// full-page screenshots at 1366×768 and 390×844 to <see cref="ScreenshotFolder"/>.
/// </summary>
internal sealed class ConsoleSite : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 768 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly BrowserFixture _browser;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly ConcurrentQueue<string> _errors = new();

    private ConsoleSite(ApiHost host, BrowserFixture browser)
    {
        Host = host;
        _browser = browser;
    }

    public ApiHost Host { get; }

    /// <summary>The test output folder for screenshots (under bin/, never committed); <c>CARRIERREPORTS_SCREENSHOTS</c> overrides it.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("CARRIERREPORTS_SCREENSHOTS") is { Length: > 0 } set ? set : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<ConsoleSite> StartAsync(PostgresFixture pg, BrowserFixture browser, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await ApiHost.StartAsync(pg, settings), browser);

    /// <summary>A new browser context (own cookies, like another person or another browser) at the desktop size.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = Desktop,
            AcceptDownloads = true,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(10_000);
        _contexts.Add(context);
        return context;
    }

    /// <summary>A page in <paramref name="context"/> (a new context when null) whose errors are collected.</summary>
    public async Task<IPage> NewPageAsync(IBrowserContext? context = null)
    {
        var page = await (context ?? await NewContextAsync()).NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error on {page.Url}: {error}");
        return page;
    }

    /// <summary>A new user of this role and scope (password <see cref="ApiHost.Password"/>), signed in on a new page.</summary>
    public async Task<IPage> SignedInPageAsync(Role role, CarrierScope? scope = null)
    {
        var user = await Host.CreateUserAsync(role, scope);
        var page = await NewPageAsync();
        await SignInAsync(page, user.Name);
        return page;
    }

    /// <summary>Signs in through the form as a person would; ends on the overview (or the page asked for before).</summary>
    public static async Task SignInAsync(IPage page, string user, string password = ApiHost.Password)
    {
        if (!page.Url.Contains("/signin", StringComparison.Ordinal))
        {
            await page.GotoAsync("/signin");
        }

        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>The checks every page passes: no console or page error so far, no serious axe-core violation, and screenshots at both sizes (<c>{name}-desktop.png</c>, <c>{name}-phone.png</c>).</summary>
    public async Task CheckPageAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        AssertNoBrowserErrors();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        Directory.CreateDirectory(ScreenshotFolder);
        var size = page.ViewportSize is { } current ? new ViewportSize { Width = current.Width, Height = current.Height } : Desktop;
        foreach (var (viewport, suffix) in new[] { (Desktop, "desktop"), (Phone, "phone") })
        {
            await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-{suffix}.png"), FullPage = true });
        }

        await page.SetViewportSizeAsync(size.Width, size.Height);
        AssertNoBrowserErrors();
    }

    /// <summary>Fails when any page has logged a console error or thrown (a CSP violation is a console error too).</summary>
    public void AssertNoBrowserErrors() => Assert.True(_errors.IsEmpty, string.Join("\n", _errors));

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        await Host.DisposeAsync();
    }
}
