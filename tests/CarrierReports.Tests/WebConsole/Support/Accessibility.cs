using System.Text.Json;
using Microsoft.Playwright;

namespace CarrierReports.Tests.WebConsole.Support;

/// <summary>
/// axe-core 4.14.1 (vendored from the npm package into this folder) run on the page as it is: a test fails on any
/// serious or critical violation and names each rule, its help text and the elements.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "WebConsole", "Support", "axe.min.js")));

    /// <summary>Evaluated through the DevTools protocol, not as a script tag, so the page's CSP (no inline script) stays on and is tested as shipped.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const r = await axe.run(document, { resultTypes: ['violations'] });
                return r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
        var list = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(list.Count == 0, $"axe-core on {page.Url}:\n" + string.Join("\n", list));
    }
}
