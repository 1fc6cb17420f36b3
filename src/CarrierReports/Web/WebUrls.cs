using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.Web;

/// <summary>
/// Checks <see cref="WebOptions"/> before Kestrel starts, so a bad address is one clear error naming the setting rather
/// than a listener that quietly binds every interface.
/// </summary>
public static partial class WebUrls
{
    private const string UrlsSetting = WebOptions.Section + ":Urls";

    /// <summary>The URLs to listen on, each checked: scheme, port, no path, and loopback unless <c>Web:AllowRemote</c>.</summary>
    public static IReadOnlyList<string> Validate(WebOptions options, IConfiguration configuration)
    {
        // Health:Url was the HttpListener endpoint, which served the full report to anyone on any interface. Mapping it
        // silently would keep monitoring configs pointed at a path that no longer exists, so it is refused by name.
        if (!string.IsNullOrWhiteSpace(configuration["Health:Url"]))
        {
            throw new InputException("Health:Url", $"is no longer supported: health is served by the web host; remove it and set {UrlsSetting} (e.g. http://127.0.0.1:8081), then probe /health/live and /health/ready");
        }

        // Kestrel's own endpoint list would bypass the loopback rule below; certificates are still read from Kestrel:Certificates.
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            throw new InputException("Kestrel:Endpoints", $"is not supported: list the addresses in {UrlsSetting}; for HTTPS set Kestrel:Certificates:Default:Path (and :Password or :KeyPath)");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            throw new InputException(WebOptions.Section + ":MaxRequestBodyBytes", $"{options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} is outside 1024..1073741824");
        }

        var urls = (options.Urls ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0)
        {
            throw new InputException(UrlsSetting, "is empty; give at least one address such as http://127.0.0.1:8080");
        }

        foreach (var url in urls)
        {
            Check(url, options.AllowRemote);
        }

        return urls;
    }

    /// <summary>True for <c>localhost</c> and loopback IP addresses; <c>+</c>, <c>*</c>, wildcard and host names bind other interfaces.</summary>
    public static bool IsLoopbackHost(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static void Check(string url, bool allowRemote)
    {
        var m = UrlPattern().Match(url);
        if (!m.Success)
        {
            throw new InputException(UrlsSetting, $"'{url}' is not an address Kestrel can listen on: expected http(s)://host:port with no path, e.g. http://127.0.0.1:8080");
        }

        if (m.Groups["port"].Success && (!int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535))
        {
            throw new InputException(UrlsSetting, $"'{url}': port {m.Groups["port"].Value} is outside 0..65535");
        }

        var host = m.Groups["host"].Value;
        if (!allowRemote && !IsLoopbackHost(host))
        {
            throw new InputException(UrlsSetting, $"'{url}' listens beyond this machine (host '{host}' is not a loopback address); set {WebOptions.Section}:AllowRemote=true to allow it, preferably with HTTPS or behind a reverse proxy");
        }
    }

    [GeneratedRegex(@"\A(?<scheme>https?)://(?<host>\[[0-9A-Fa-f:.]+\]|[^:/\[\]\s?#]+)(:(?<port>[0-9]{1,5}))?/?\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
