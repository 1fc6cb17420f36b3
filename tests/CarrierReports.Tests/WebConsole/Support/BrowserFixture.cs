using Microsoft.Playwright;

namespace CarrierReports.Tests.WebConsole.Support;

/// <summary>
/// One headless Debian chromium per test class (Playwright drives it; nothing is downloaded). The browser is
/// <c>CARRIERREPORTS_CHROMIUM</c> or <c>/usr/bin/chromium</c> (tests/run-tests.sh installs Debian's <c>chromium</c>).
/// Each test opens its own context (cookies, viewport) in it, which is cheap.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "CARRIERREPORTS_CHROMIUM";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{ChromiumVariable}: no browser at '{path}'; install Debian's chromium (tests/run-tests.sh does) or point the variable at one");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // No sandbox: the tests run as root in CI. The rest keeps chromium from calling home during a test.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
