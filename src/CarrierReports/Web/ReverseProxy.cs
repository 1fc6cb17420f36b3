using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Web;

/// <summary>
/// Running behind a reverse proxy: <c>Web:ForwardedHeaders</c> (which proxies to believe about the client's address and
/// scheme) and <c>Web:PathBase</c> (the URL prefix the proxy publishes the service under, e.g. <c>/reports</c>).
/// </summary>
public static class ReverseProxy
{
    private const string Section = WebOptions.Section + ":ForwardedHeaders";

    /// <summary>The checked settings the pipeline uses.</summary>
    public sealed record Settings(bool ForwardedHeaders, PathString PathBase);

    /// <exception cref="InputException">An address, network, limit or path base is not acceptable; names the setting.</exception>
    public static void AddReverseProxy(this IServiceCollection services, WebOptions options)
    {
        var pathBase = ParsePathBase(options.PathBase);
        var forwarded = options.ForwardedHeaders;
        var proxies = forwarded.KnownProxies.Select((text, i) => IPAddress.TryParse(text?.Trim(), out var ip)
            ? ip
            : throw new InputException($"{Section}:KnownProxies:{i}", $"'{text}' is not an IP address")).ToList();
        var networks = forwarded.KnownNetworks.Select((text, i) => System.Net.IPNetwork.TryParse(text?.Trim() ?? "", out var net)
            ? net
            : throw new InputException($"{Section}:KnownNetworks:{i}", $"'{text}' is not a network in CIDR notation (e.g. 10.0.0.0/24)")).ToList();
        if (forwarded.ForwardLimit is < 1 or > 10)
        {
            throw new InputException($"{Section}:ForwardLimit", $"{forwarded.ForwardLimit} is not between 1 and 10");
        }

        services.AddSingleton(new Settings(forwarded.Enabled, pathBase));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only what is listed: the framework's defaults would trust any loopback peer.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
            o.ForwardLimit = forwarded.ForwardLimit;
            // Not X-Forwarded-Host: the host name stays checked by AllowedHosts; not X-Forwarded-Prefix: the prefix is
            // Web:PathBase, so a client cannot move the cookies' path.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });
    }

    /// <summary>First in the pipeline, so HTTPS detection (secure cookies, HSTS), the client address and routing see the proxy's view.</summary>
    public static void UseReverseProxy(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<Settings>();
        if (settings.ForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        if (settings.PathBase.HasValue)
        {
            var pathBase = settings.PathBase;
            app.UsePathBase(pathBase);
            app.Use((context, next) =>
            {
                context.Response.OnStarting(() => PrefixLocation(context, pathBase));
                return next(context);
            });
        }
    }

    /// <summary>
    /// Endpoints answer with root-relative locations (<c>201 Created</c>, redirects) as if served at <c>/</c>; behind
    /// a path base the browser must be sent under it, or it leaves the proxied prefix.
    /// </summary>
    private static Task PrefixLocation(HttpContext context, PathString pathBase)
    {
        var location = context.Response.Headers.Location.ToString();
        if (context.Request.PathBase == pathBase && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal)
            && !new PathString(location.Split('?', '#')[0]).StartsWithSegments(pathBase))
        {
            context.Response.Headers.Location = pathBase + location;
        }

        return Task.CompletedTask;
    }

    private static PathString ParsePathBase(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return PathString.Empty;
        }

        const string field = WebOptions.Section + ":PathBase";
        if (!text.StartsWith('/') || text.EndsWith('/'))
        {
            throw new InputException(field, $"'{text}' must start with '/' and not end with one (e.g. /reports)");
        }

        if (text.Any(c => c is '?' or '#' or '%' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)) || text.Contains("//", StringComparison.Ordinal)
            || text.Split('/').Any(s => s is "." or ".."))
        {
            throw new InputException(field, $"'{text}' is not a plain URL path (no query, fragment, escapes, spaces, empty, '.' or '..' segments)");
        }

        return new PathString(text);
    }
}
