namespace CarrierReports.Web;

/// <summary>
/// Section <c>Web:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed. Empty (the default) turns forwarded headers off: a client could otherwise claim any address or HTTPS.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>IP addresses of the proxies, e.g. <c>127.0.0.1</c> for nginx on the same machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c> for a load balancer pool.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped (entries of <c>X-Forwarded-For</c>, from the right). Default 1.</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
